//! The findings panel.

use std::rc::Rc;

use yew::prelude::*;

use super::fix::FixButton;
use crate::engine::Evaluation;
use crate::state::AppState;

#[derive(Properties, Clone)]
pub struct FindingsProps {
    pub evaluation: Rc<Evaluation>,
    pub dispatch: UseReducerDispatcher<AppState>,
}

impl PartialEq for FindingsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.evaluation, &other.evaluation) && self.dispatch == other.dispatch
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
                    if f.fix.is_some() {
                        <FixButton finding={f.clone()} evaluation={props.evaluation.clone()}
                            dispatch={props.dispatch.clone()} />
                    }
                </li>
            }) }
        </ul>
    }
}
