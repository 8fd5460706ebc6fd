//! The findings panel.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::Evaluation;

#[derive(Properties, Clone)]
pub struct FindingsProps {
    pub evaluation: Rc<Evaluation>,
}

impl PartialEq for FindingsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.evaluation, &other.evaluation)
    }
}

#[function_component(Findings)]
pub fn findings(props: &FindingsProps) -> Html {
    let report = &props.evaluation.report;
    html! {
        <ul class="findings" data-testid="findings">
            { for report.active().map(|f| html! {
                <li class="finding" data-testid="finding" data-rule={f.rule.to_string()}
                    data-line={f.line.to_string()} data-severity={f.severity.as_str()}>
                    <span class="rule-id">{ f.rule.to_string() }</span>
                    { " " }
                    <span class="message">{ f.message.clone() }</span>
                    <span class="line">{ format!(" line {}", f.line) }</span>
                </li>
            }) }
        </ul>
    }
}
