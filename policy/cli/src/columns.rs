//! Plain-text tables for the terminal: the `who-can` and `audit-log` text reports.

/// `rows` (the header first) in aligned columns, two spaces apart, trailing spaces trimmed.
pub fn aligned<R: AsRef<[String]>>(rows: &[R]) -> String {
    let mut widths: Vec<usize> = vec![];
    for r in rows {
        for (i, cell) in r.as_ref().iter().enumerate() {
            let w = cell.chars().count();
            match widths.get_mut(i) {
                Some(x) => *x = (*x).max(w),
                None => widths.push(w),
            }
        }
    }
    let mut out = String::new();
    for r in rows {
        let r = r.as_ref();
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            line += cell;
            if i + 1 < r.len() {
                line += &" ".repeat(widths[i] - cell.chars().count() + 2);
            }
        }
        out += line.trim_end();
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_on_the_widest_cell() {
        let rows = [
            vec!["USER".to_string(), "VERB".into(), "N".into()],
            vec!["jane".to_string(), "get".into(), "12".into()],
            vec![
                "system:serviceaccount:a:b".to_string(),
                "list".into(),
                "".into(),
            ],
        ];
        assert_eq!(
            aligned(&rows),
            "USER                       VERB  N\n\
             jane                       get   12\n\
             system:serviceaccount:a:b  list\n"
        );
    }
}
