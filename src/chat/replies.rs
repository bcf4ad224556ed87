//! The words Careline says. Kept together so they can be reviewed (and one
//! day translated) in one place.

use crate::routing::Department;

pub fn routed(team: &Department, also: Option<&Department>, emergency_number: &str) -> String {
    let mut reply = format!(
        "Thank you. I've sent your message to the {} team. They usually reply {}, \
         and you'll see their answer here in this conversation.",
        team.name, team.response_time
    );
    if let Some(other) = also {
        reply.push_str(&format!(
            " I've also sent it to the {} team for the other part of your message \
             (they usually reply {}).",
            other.name, other.response_time
        ));
    }
    reply.push_str(&format!(
        " If anything gets worse or feels urgent, call {emergency_number}."
    ));
    reply
}

pub fn already_queued(team: &Department, emergency_number: &str) -> String {
    format!(
        "Your message is already with the {} team. They usually reply {}, \
         and you'll see their answer here in this conversation. \
         If anything gets worse or feels urgent, call {emergency_number}.",
        team.name, team.response_time
    )
}

pub fn urgent(guidance: &str, team: &Department, also: Option<&Department>) -> String {
    let mut reply = format!(
        "{guidance}\n\nI've also flagged your message as urgent for our {} team, \
         but please don't wait for a reply here.",
        team.name
    );
    if let Some(other) = also {
        reply.push_str(&format!(
            " The rest of your message has gone to the {} team as usual.",
            other.name
        ));
    }
    reply
}

pub fn answer(body: &str, team: &Department) -> String {
    format!(
        "{body}\n\nIf this doesn't answer your question, I can send your message to the {} team.",
        team.name
    )
}

pub fn clarify() -> String {
    "I want to get this to the right team. Which of these is it about?".to_owned()
}

pub fn which_team() -> String {
    "Of course. Which team would you like to reach?".to_owned()
}

/// Said whenever Careline cannot place a message: it may be an emergency
/// in words it does not read (another language, say).
pub fn safety_net(emergency_number: &str, interpreter_phone: &str) -> String {
    format!(
        " If this is an emergency, call {emergency_number} now. \
         I read English only; for help in another language, call {interpreter_phone}."
    )
}

pub fn out_of_scope(greeting: Greeting) -> String {
    let opening = match greeting {
        Greeting::Hello => "Hello! ",
        Greeting::Thanks => "You're welcome. ",
        Greeting::Goodbye => "Take care. ",
        Greeting::None => "",
    };
    format!(
        "{opening}I can answer common questions and send messages to your care team: \
         appointments, bills and insurance, prescriptions, medical records and forms, \
         questions for a nurse, portal sign-in problems, and hours, directions or parking. \
         What can I help you with?"
    )
}

pub fn not_understood() -> String {
    "Sorry, I didn't understand that. Could you tell me in a few words what you need?".to_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Greeting {
    Hello,
    Thanks,
    Goodbye,
    None,
}

impl Greeting {
    pub fn of(text: &str) -> Self {
        let lower = text.trim().to_lowercase();
        let starts = |words: &[&str]| words.iter().any(|w| lower.starts_with(w));
        if starts(&["thank", "thx", "ty ", "much appreciated"]) {
            Greeting::Thanks
        } else if starts(&["bye", "goodbye", "see you", "good night"]) {
            Greeting::Goodbye
        } else if starts(&[
            "hi",
            "hello",
            "hey",
            "good morning",
            "good afternoon",
            "good evening",
        ]) {
            Greeting::Hello
        } else {
            Greeting::None
        }
    }
}
