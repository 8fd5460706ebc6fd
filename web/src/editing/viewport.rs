//! Which lines the editor renders: the lines on screen plus an overscan margin, snapped to a
//! chunk grid so that scrolling by a few lines does not re-render anything. Every line has the
//! same height, so positions are plain arithmetic.

/// Half-open range `first..end` of 0-based line indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub first: usize,
    pub end: usize,
}

impl Window {
    /// Whether 0-based `line` is rendered.
    pub fn contains(&self, line: usize) -> bool {
        (self.first..self.end).contains(&line)
    }

    /// Number of lines rendered.
    pub fn len(&self) -> usize {
        self.end - self.first
    }

    /// Whether no line is rendered (only past the end of a text that just shrank).
    pub fn is_empty(&self) -> bool {
        self.end == self.first
    }
}

/// How the window is cut.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// Height of one line, in CSS pixels.
    pub line_height: f64,
    /// Space above the first line (the text's top padding), in CSS pixels.
    pub padding_top: f64,
    /// Lines rendered beyond each edge of the screen.
    pub overscan: usize,
    /// The window's edges are multiples of this many lines.
    pub chunk: usize,
}

impl Geometry {
    /// The lines to render when the scroller shows `viewport` pixels from `scroll_top`, out of
    /// `total` lines. Always covers every line that is (even partly) visible.
    pub fn window(&self, scroll_top: f64, viewport: f64, total: usize) -> Window {
        let lh = self.line_height;
        let top = (scroll_top - self.padding_top).max(0.0);
        let bottom = (scroll_top + viewport.max(0.0) - self.padding_top).max(0.0);
        let first_visible = (top / lh).floor() as usize;
        let end_visible = (bottom / lh).ceil() as usize + 1;
        let chunk = self.chunk.max(1);
        let first = first_visible.saturating_sub(self.overscan) / chunk * chunk;
        let end = (end_visible + self.overscan).div_ceil(chunk) * chunk;
        let end = end.min(total);
        Window {
            first: first.min(end),
            end,
        }
    }

    /// The scroll position that shows 0-based `line` comfortably (a third of the way down),
    /// or `None` when it is already fully visible.
    pub fn reveal(&self, line: usize, scroll_top: f64, viewport: f64) -> Option<f64> {
        let y = self.padding_top + line as f64 * self.line_height;
        if y >= scroll_top && y + self.line_height <= scroll_top + viewport {
            None
        } else {
            Some((y - viewport / 3.0).max(0.0))
        }
    }

    /// The 0-based line at `y` pixels from the top of the text's box (clamped to `total`).
    pub fn line_at(&self, y: f64, total: usize) -> usize {
        let line = ((y - self.padding_top) / self.line_height).floor();
        (line.max(0.0) as usize).min(total.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: Geometry = Geometry {
        line_height: 20.0,
        padding_top: 8.0,
        overscan: 30,
        chunk: 20,
    };

    #[test]
    fn top_of_a_long_text() {
        // 600 px show lines 0..=29; plus 30 of overscan, snapped up to 80.
        assert_eq!(G.window(0.0, 600.0, 5000), Window { first: 0, end: 80 });
    }

    #[test]
    fn middle_of_a_long_text() {
        // scroll 2008 px: line 100 is at the top; lines 100..=130 visible.
        let w = G.window(2008.0, 600.0, 5000);
        assert_eq!(
            w,
            Window {
                first: 60,
                end: 180
            }
        );
        for line in 100..=130 {
            assert!(w.contains(line));
        }
    }

    #[test]
    fn short_text_renders_everything() {
        assert_eq!(G.window(0.0, 900.0, 41), Window { first: 0, end: 41 });
        assert_eq!(G.window(0.0, 0.0, 1), Window { first: 0, end: 1 });
    }

    #[test]
    fn bottom_of_a_long_text_clamps_to_the_end() {
        let total = 5000;
        let scroll = 8.0 + 20.0 * 4970.0;
        let w = G.window(scroll, 600.0, total);
        assert_eq!(w.end, total);
        assert!(w.contains(4970) && w.contains(4999));
        // Scrolled past the end (during a shrink): still a valid, possibly empty, window.
        let w = G.window(1e9, 600.0, total);
        assert!(w.first <= w.end && w.end == total);
    }

    #[test]
    fn small_scrolls_keep_the_same_window() {
        let a = G.window(2008.0, 600.0, 5000);
        for dy in [1.0, 5.0, 19.0, 100.0, 199.0] {
            assert_eq!(G.window(2008.0 + dy, 600.0, 5000), a, "scrolled by {dy}");
        }
        assert_ne!(G.window(2008.0 + 400.0, 600.0, 5000), a);
    }

    #[test]
    fn every_visible_line_is_always_in_the_window() {
        let total = 3000;
        let mut scroll = 0.0;
        while scroll < 8.0 + 20.0 * total as f64 {
            let w = G.window(scroll, 437.0, total);
            let first_visible = ((scroll - 8.0).max(0.0) / 20.0) as usize;
            let last_visible = (((scroll + 437.0 - 8.0) / 20.0) as usize).min(total - 1);
            assert!(
                w.first <= first_visible && last_visible < w.end,
                "scroll {scroll}: {w:?}"
            );
            assert!(w.len() <= 437 / 20 + 2 + 2 * 30 + 2 * 20, "bounded: {w:?}");
            scroll += 7.5;
        }
    }

    #[test]
    fn reveal_scrolls_only_when_needed() {
        assert_eq!(G.reveal(5, 0.0, 600.0), None);
        // Line 200 at y = 4008: put it a third of the way down.
        assert_eq!(G.reveal(200, 0.0, 600.0), Some(4008.0 - 200.0));
        assert_eq!(G.reveal(200, 3900.0, 600.0), None);
        // Above the screen.
        assert_eq!(G.reveal(1, 4000.0, 600.0), Some(0.0));
    }

    #[test]
    fn line_at_a_y_position() {
        assert_eq!(G.line_at(0.0, 100), 0);
        assert_eq!(G.line_at(27.9, 100), 0);
        assert_eq!(G.line_at(28.0, 100), 1);
        assert_eq!(G.line_at(1e6, 100), 99);
    }
}
