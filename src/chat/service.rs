//! One patient message, end to end: checks, safety first, follow-up
//! context, routing, knowledge search, then one atomic save.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use uuid::Uuid;

use super::batcher::{BatchError, TriageBatcher};
use super::followup::{
    asks_for_action, asks_for_person, continues_previous, is_no, is_yes, only_asks_for_person,
    pick_option,
};
use super::log_tag::conversation_tag;
use super::replies::{self, Greeting};
use super::state::ConversationState;
use crate::auth::PortalPatient;
use crate::auth::{hash_token, new_token, token_matches};
use crate::knowledge::{DepartmentPrior, PRIOR_WEIGHT, Retriever, render_placeholders};
use crate::message::{MessageError, check_message};
use crate::redact::{PatientText, Redactor};
use crate::routing::{AbstainReason, Department, RoutingDecision};
use crate::store::{Database, DecisionRecord, NewInquiry, NewMessage, StoreError, Turn, now_ms};
use crate::triage::Assessment;

/// The `choice` that sends the conversation to a person.
pub const PERSON: &str = "person";

/// Times a turn is decided again when another message of the same
/// conversation was saved while it was being decided.
const SAVE_ATTEMPTS: u32 = 3;

/// The department that receives every emergency.
const CLINICAL: &str = "clinical";

/// Knowledge entries looked at per message.
const KNOWLEDGE_CANDIDATES: usize = 3;

/// Routing confidence under which the patient is asked to pick a team
/// rather than the message being queued on a guess.
const CLARIFY_BELOW: f32 = 0.5;

/// How far above the answer threshold a knowledge match must score to be
/// answered when routing prefers another department (measured on
/// tests/data/faq.jsonl against the routing sets: docs/PERFORMANCE.md).
const CROSS_DEPARTMENT_MARGIN: f32 = 0.1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReplyKind {
    Answer,
    Clarify,
    Routed,
    Urgent,
    OutOfScope,
}

impl ReplyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyKind::Answer => "answer",
            ReplyKind::Clarify => "clarify",
            ReplyKind::Routed => "routed",
            ReplyKind::Urgent => "urgent",
            ReplyKind::OutOfScope => "out_of_scope",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ChatInput {
    pub conversation_id: Option<String>,
    pub conversation_token: Option<String>,
    pub message: Option<PatientText>,
    pub choice: Option<String>,
    /// The patient the host portal signed in, if any.
    pub patient: Option<PortalPatient>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub choice: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UrgentNotice {
    pub category: String,
    pub guidance: String,
}

/// The body of a successful `POST /api/chat`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChatReply {
    pub conversation_id: String,
    /// `None` when a signed-in patient continues their conversation from
    /// a device that never held its token.
    pub conversation_token: Option<String>,
    pub kind: ReplyKind,
    pub reply: String,
    pub department: Option<String>,
    pub confidence: f32,
    pub sources: Vec<Source>,
    pub inquiry_id: Option<String>,
    pub suggestions: Vec<Suggestion>,
    pub urgent: Option<UrgentNotice>,
}

#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    #[error(transparent)]
    Message(#[from] MessageError),
    #[error("the request has neither a message nor a choice")]
    MissingMessage,
    #[error("conversation not found")]
    ConversationNotFound,
    #[error("the choice is not one of the offered suggestions")]
    InvalidChoice,
    #[error(transparent)]
    Triage(#[from] BatchError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("knowledge search: {0}")]
    Knowledge(String),
}

/// What was decided for one message, before it is saved.
struct Outcome {
    kind: ReplyKind,
    reply: String,
    department: Option<String>,
    confidence: f32,
    sources: Vec<Source>,
    inquiries: Vec<NewInquiry>,
    suggestions: Vec<Suggestion>,
    urgent: Option<UrgentNotice>,
    knowledge: Option<(String, f32)>,
    /// An open inquiry of this conversation the reply points to instead of
    /// queuing another.
    waiting_inquiry: Option<String>,
    state: ConversationState,
}

/// The conversation a message belongs to, as loaded or as created.
struct Conversation {
    id: String,
    token: Option<String>,
    new_token_hash: Option<String>,
    /// Set when a signed-in patient starts the conversation.
    patient_subject: Option<String>,
    /// The version `state` was read at; 0 for a conversation not yet saved.
    version: i64,
    state: ConversationState,
    /// Inquiries of this conversation not yet resolved: (department, id).
    open_inquiries: Vec<(String, String)>,
}

pub struct ChatService {
    triage: TriageBatcher,
    departments: Vec<Department>,
    retriever: Arc<Retriever>,
    db: Database,
    answer_threshold: f32,
    /// `hospital.<key>` values for the numbers guidance and replies name.
    hospital: BTreeMap<String, String>,
    /// Decision logs carry the message only through this.
    redactor: Redactor,
}

impl ChatService {
    pub fn new(
        triage: TriageBatcher,
        departments: Vec<Department>,
        retriever: Arc<Retriever>,
        db: Database,
        answer_threshold: f32,
        hospital: BTreeMap<String, String>,
    ) -> Self {
        Self {
            triage,
            departments,
            retriever,
            db,
            answer_threshold,
            hospital,
            redactor: Redactor::new(),
        }
    }

    fn safety_net(&self) -> String {
        let interpreter = self
            .hospital
            .get("hospital.interpreter_phone")
            .map_or("the hospital's main number", String::as_str);
        replies::safety_net(self.emergency_number(), interpreter)
    }

    fn emergency_number(&self) -> &str {
        self.hospital
            .get("hospital.emergency_number")
            .map_or("your local emergency number", String::as_str)
    }

    /// Guidance with the hospital's numbers filled in. Start-up has checked
    /// that every category's guidance renders.
    fn guidance(&self, finding: &crate::safety::UrgentFinding) -> String {
        render_placeholders(&finding.guidance, &self.hospital)
            .unwrap_or_else(|_| finding.guidance.clone())
    }

    pub fn departments(&self) -> &[Department] {
        &self.departments
    }

    pub fn database(&self) -> &Database {
        &self.db
    }

    pub async fn handle(&self, input: ChatInput) -> Result<ChatReply, ChatError> {
        // 1. The text, checked before anything is read or written.
        let text = match (&input.message, &input.choice) {
            (Some(message), _) => message.clone(),
            (None, Some(choice)) => PatientText::new(self.label_for(choice)),
            (None, None) => return Err(ChatError::MissingMessage),
        };
        check_message(text.expose())?;

        // 2. The conversation, only for the holder of its token.
        let mut conversation = self.open_conversation(&input).await?;
        let mut assessment = None;

        for attempt in 1..=SAVE_ATTEMPTS {
            // 3. Safety and routing, batched with other requests. The text
            // alone decides them, so a retry below reuses them.
            if let Some(choice) = &input.choice
                && choice != PERSON
                && !conversation.state.offered.contains(choice)
            {
                return Err(ChatError::InvalidChoice);
            }
            let assessment = match &assessment {
                Some(done) => done,
                None => assessment.insert(self.triage.assess(text.expose().to_owned()).await?),
            };

            // 4. What to say and whom to tell.
            let patient_id = Uuid::new_v4().to_string();
            let outcome = self
                .decide(
                    text.expose(),
                    input.choice.as_deref(),
                    assessment,
                    &conversation,
                    &patient_id,
                )
                .await?;

            // 5. One transaction for the whole turn, over the state it was
            // decided on. Another message of the same conversation saved
            // first: decide again on what that one left.
            match self
                .save(
                    conversation,
                    patient_id,
                    text.clone(),
                    assessment,
                    outcome,
                    input.patient.as_ref(),
                )
                .await
            {
                Err(ChatError::Store(StoreError::Conflict)) if attempt < SAVE_ATTEMPTS => {
                    tracing::debug!(attempt, "conversation changed meanwhile; deciding again");
                    conversation = self.open_conversation(&input).await?;
                }
                result => return result,
            }
        }
        unreachable!("the last attempt returns")
    }

    async fn open_conversation(&self, input: &ChatInput) -> Result<Conversation, ChatError> {
        let Some(id) = &input.conversation_id else {
            let token = new_token();
            return Ok(Conversation {
                id: Uuid::new_v4().to_string(),
                new_token_hash: Some(hash_token(&token)),
                token: Some(token),
                patient_subject: input.patient.as_ref().map(|p| p.subject.clone()),
                version: 0,
                state: ConversationState::default(),
                open_inquiries: Vec::new(),
            });
        };

        // The holder of the token, or the signed-in patient it belongs to.
        let record = self
            .db
            .find_conversation(id)
            .await?
            .ok_or(ChatError::ConversationNotFound)?;
        let token = input
            .conversation_token
            .as_deref()
            .filter(|token| token_matches(token, &record.token_hash));
        let owner = match (&input.patient, &record.patient_subject) {
            (Some(patient), Some(subject)) => patient.subject == *subject,
            _ => false,
        };
        if token.is_none() && !owner {
            return Err(ChatError::ConversationNotFound);
        }

        let open_inquiries = self
            .db
            .inquiries_of(&record.id)
            .await?
            .into_iter()
            .filter(|inquiry| inquiry.status != "resolved")
            .map(|inquiry| (inquiry.department, inquiry.id))
            .collect();

        Ok(Conversation {
            id: record.id,
            token: token.map(str::to_owned),
            new_token_hash: None,
            patient_subject: None,
            version: record.version,
            state: ConversationState::parse(&record.state),
            open_inquiries,
        })
    }

    async fn decide(
        &self,
        text: &str,
        choice: Option<&str>,
        assessment: &Assessment,
        conversation: &Conversation,
        patient_id: &str,
    ) -> Result<Outcome, ChatError> {
        let state = &conversation.state;

        // Safety first: nothing below can override an emergency.
        if let Some(finding) = &assessment.urgent {
            return Ok(self.urgent(finding, &assessment.routing, patient_id));
        }

        // An explicit choice, a request for a person, or a short reply to
        // the options just offered.
        if let Some(choice) = choice {
            return Ok(self.chosen(choice, text, &assessment.routing, conversation, patient_id));
        }
        if asks_for_person(text) {
            return Ok(self.to_person(text, &assessment.routing, conversation, patient_id));
        }
        if let Some(choice) = self.implied_choice(text, state) {
            return Ok(self.chosen(&choice, text, &assessment.routing, conversation, patient_id));
        }
        if is_no(text) && state.last_kind.is_some() {
            return Ok(self.closing(state));
        }

        // A fresh question, read with the previous one when it leans on it.
        let (routing, embedding) = self.with_context(text, assessment, conversation).await?;

        // "and my bill too" after a queued request asks for more of the
        // same: people, not an article.
        let adds_to_request =
            continues_previous(text) && state.last_kind.as_deref() == Some("routed");
        if !adds_to_request
            && let Some(outcome) = self
                .try_answer(text, &routing, embedding.as_deref(), patient_id)
                .await?
        {
            return Ok(outcome);
        }

        // Asking costs the patient one click; a wrong queue costs days.
        if routing.abstain.is_none() && routing.confidence < CLARIFY_BELOW {
            return Ok(self.clarify(&routing, patient_id));
        }
        Ok(match routing.abstain {
            None => self.routed_outcome(&routing, patient_id),
            Some(AbstainReason::LowConfidence) => self.clarify(&routing, patient_id),
            Some(AbstainReason::OutOfScope) => {
                // "thanks, bye" needs no emergency pointer; anything else
                // unplaced might be one in words Careline cannot read.
                let greeting = Greeting::of(text);
                let mut reply = replies::out_of_scope(greeting);
                if !matches!(greeting, Greeting::Thanks | Greeting::Goodbye) {
                    reply.push_str(&self.safety_net());
                }
                self.out_of_scope(reply, &routing)
            }
            Some(AbstainReason::Empty | AbstainReason::Gibberish) => {
                self.out_of_scope(replies::not_understood() + &self.safety_net(), &routing)
            }
        })
    }

    /// Urgent guidance now, and an urgent inquiry for the clinical team.
    /// Whatever else the message asks goes to its own queue as a normal
    /// inquiry: a billing clerk must never be the one to see an emergency.
    fn urgent(
        &self,
        finding: &crate::safety::UrgentFinding,
        routing: &RoutingDecision,
        patient_id: &str,
    ) -> Outcome {
        let team = self.department(CLINICAL).unwrap_or(&self.departments[0]);
        let other = routing
            .department
            .as_deref()
            .filter(|_| !routing.abstained())
            .filter(|id| *id != team.id)
            .and_then(|id| self.department(id));
        let confidence = match finding.evidence {
            crate::safety::Evidence::Rule => 1.0,
            crate::safety::Evidence::Similarity { probability } => probability,
        };

        let guidance = self.guidance(finding);
        let mut inquiries = vec![new_inquiry(&team.id, patient_id, true)];
        inquiries.extend(other.map(|other| new_inquiry(&other.id, patient_id, false)));

        Outcome {
            kind: ReplyKind::Urgent,
            reply: replies::urgent(&guidance, team, other),
            department: Some(team.id.clone()),
            confidence,
            sources: Vec::new(),
            inquiries,
            suggestions: Vec::new(),
            urgent: Some(UrgentNotice {
                category: finding.category.clone(),
                guidance,
            }),
            knowledge: None,
            waiting_inquiry: None,
            state: ConversationState {
                topic: Some(team.id.clone()),
                topic_message: Some(patient_id.to_owned()),
                last_kind: Some("urgent".into()),
                ..ConversationState::default()
            },
        }
    }

    fn chosen(
        &self,
        choice: &str,
        text: &str,
        routing: &RoutingDecision,
        conversation: &Conversation,
        patient_id: &str,
    ) -> Outcome {
        let state = &conversation.state;
        if choice == PERSON {
            return self.to_person(text, routing, conversation, patient_id);
        }
        let Some(team) = self.department(choice) else {
            return self.which_team(patient_id);
        };

        // The inquiry is about the message that raised the question.
        let about = state.pending_message.as_deref().unwrap_or(patient_id);
        self.routed_to(team, routing.confidence.max(0.0), about, None)
    }

    fn to_person(
        &self,
        text: &str,
        routing: &RoutingDecision,
        conversation: &Conversation,
        patient_id: &str,
    ) -> Outcome {
        let state = &conversation.state;
        let routed = routing.department.clone().filter(|_| !routing.abstained());

        // "a person" alone means the team of the last topic, or a question
        // which team; "someone about my bill" names its own.
        let (team, about) = if only_asks_for_person(text) || routed.is_none() {
            match (&state.topic, &state.pending_message) {
                (Some(topic), None) => (Some(topic.clone()), state.topic_message.clone()),
                _ => (None, None),
            }
        } else {
            (routed, None)
        };

        match team.as_deref().and_then(|id| self.department(id)) {
            Some(team) => {
                // Pressed twice, or asked again: the team already has it.
                if let Some((_, waiting)) = conversation
                    .open_inquiries
                    .iter()
                    .find(|(department, _)| *department == team.id)
                {
                    return self.already_queued(team, waiting, state);
                }
                let about = about.unwrap_or_else(|| patient_id.to_owned());
                self.routed_to(team, 1.0, &about, None)
            }
            None => {
                let mut outcome = self.which_team(patient_id);
                if let Some(pending) = &state.pending_message {
                    outcome.state.pending_message = Some(pending.clone());
                }
                outcome
            }
        }
    }

    /// "yes", "the second one" or "billing" right after options were shown.
    fn implied_choice(&self, text: &str, state: &ConversationState) -> Option<String> {
        if state.offered.is_empty() {
            return None;
        }
        let options: Vec<(String, String)> = state
            .offered
            .iter()
            .map(|choice| (choice.clone(), self.label_for(choice)))
            .collect();

        if let Some(index) = pick_option(text, &options) {
            return Some(state.offered[index].clone());
        }
        let departments: Vec<&String> = state.offered.iter().filter(|c| *c != PERSON).collect();
        if is_yes(text) {
            return match (
                departments.as_slice(),
                state.offered.contains(&PERSON.to_owned()),
            ) {
                ([one], _) => Some((*one).clone()),
                ([], true) => Some(PERSON.to_owned()),
                _ => None,
            };
        }
        None
    }

    /// When a short follow-up ("and my bill too") is unclear on its own,
    /// the previous question is read with it.
    async fn with_context(
        &self,
        text: &str,
        assessment: &Assessment,
        conversation: &Conversation,
    ) -> Result<(RoutingDecision, Option<Vec<f32>>), ChatError> {
        let own = (assessment.routing.clone(), assessment.embedding.clone());
        let leans_on_previous = continues_previous(text)
            || assessment.routing.abstain == Some(AbstainReason::LowConfidence);
        let Some(previous_id) = &conversation.state.topic_message else {
            return Ok(own);
        };
        if !leans_on_previous || !assessment.routing.abstained() {
            return Ok(own);
        }

        let Some(previous) = self.db.message_body(&conversation.id, previous_id).await? else {
            return Ok(own);
        };
        let combined = self.triage.assess(format!("{previous}\n{text}")).await?;

        // The follow-up's own words decide when they are clear enough.
        if combined.routing.abstained() {
            return Ok(own);
        }
        Ok((combined.routing, own.1))
    }

    /// A confident knowledge match that fits the routing is answered.
    async fn try_answer(
        &self,
        text: &str,
        routing: &RoutingDecision,
        embedding: Option<&[f32]>,
        patient_id: &str,
    ) -> Result<Option<Outcome>, ChatError> {
        let Some(vector) = embedding else {
            return Ok(None);
        };
        if matches!(
            routing.abstain,
            Some(AbstainReason::Empty | AbstainReason::Gibberish)
        ) {
            return Ok(None);
        }

        let prior = DepartmentPrior::new(
            routing
                .alternatives
                .iter()
                .map(|alt| (alt.department.clone(), alt.confidence))
                .collect(),
            PRIOR_WEIGHT,
        );
        let matches = self
            .retriever
            .search_with_prior(text, vector, KNOWLEDGE_CANDIDATES, &prior)
            .await
            .map_err(|e| ChatError::Knowledge(e.to_string()))?;
        let Some(best) = matches.first() else {
            return Ok(None);
        };
        // A knowledge entry from another department than routing's answers
        // only when it matches clearly better than the bar.
        let fits = fits_routing(&best.department, routing)
            || best.score >= self.answer_threshold + CROSS_DEPARTMENT_MARGIN;
        tracing::debug!(
            knowledge_id = %best.entry_id,
            score = best.score,
            fits,
            routed = routing.department.as_deref().unwrap_or("-"),
            "best knowledge match"
        );
        // Two requests in one message go to people, not to one answer.
        if best.score < self.answer_threshold
            || !fits
            || asks_for_action(text)
            || routing.secondary.is_some()
        {
            return Ok(None);
        }
        let Some(entry) = self.retriever.knowledge_base().get(&best.entry_id) else {
            return Ok(None);
        };
        let team = self
            .department(&entry.department)
            .unwrap_or(&self.departments[0]);

        Ok(Some(Outcome {
            kind: ReplyKind::Answer,
            reply: replies::answer(&entry.answer, team),
            department: Some(team.id.clone()),
            confidence: best.score,
            sources: vec![Source {
                id: entry.id.clone(),
                title: entry.title.clone(),
                score: best.score,
            }],
            inquiries: Vec::new(),
            suggestions: vec![self.person_suggestion(Some(team))],
            urgent: None,
            knowledge: Some((entry.id.clone(), best.score)),
            waiting_inquiry: None,
            state: ConversationState {
                offered: vec![PERSON.to_owned()],
                topic: Some(team.id.clone()),
                topic_message: Some(patient_id.to_owned()),
                last_kind: Some("answer".into()),
                ..ConversationState::default()
            },
        }))
    }

    fn routed_outcome(&self, routing: &RoutingDecision, patient_id: &str) -> Outcome {
        let team = routing
            .department
            .as_deref()
            .and_then(|id| self.department(id))
            .unwrap_or(&self.departments[0]);
        let also = routing
            .secondary
            .as_deref()
            .and_then(|id| self.department(id))
            .filter(|other| other.id != team.id);
        self.routed_to(team, routing.confidence, patient_id, also)
    }

    fn routed_to(
        &self,
        team: &Department,
        confidence: f32,
        about: &str,
        also: Option<&Department>,
    ) -> Outcome {
        let mut inquiries = vec![new_inquiry(&team.id, about, false)];
        if let Some(other) = also {
            inquiries.push(new_inquiry(&other.id, about, false));
        }

        Outcome {
            kind: ReplyKind::Routed,
            reply: replies::routed(team, also, self.emergency_number()),
            department: Some(team.id.clone()),
            confidence,
            sources: Vec::new(),
            inquiries,
            suggestions: Vec::new(),
            urgent: None,
            knowledge: None,
            waiting_inquiry: None,
            state: ConversationState {
                topic: Some(team.id.clone()),
                topic_message: Some(about.to_owned()),
                last_kind: Some("routed".into()),
                ..ConversationState::default()
            },
        }
    }

    /// A request for a person whose team already holds an open inquiry of
    /// this conversation: point to it rather than queue the message again.
    fn already_queued(
        &self,
        team: &Department,
        inquiry_id: &str,
        state: &ConversationState,
    ) -> Outcome {
        Outcome {
            kind: ReplyKind::Routed,
            reply: replies::already_queued(team, self.emergency_number()),
            department: Some(team.id.clone()),
            confidence: 1.0,
            sources: Vec::new(),
            inquiries: Vec::new(),
            suggestions: Vec::new(),
            urgent: None,
            knowledge: None,
            waiting_inquiry: Some(inquiry_id.to_owned()),
            state: ConversationState {
                topic: Some(team.id.clone()),
                topic_message: state.topic_message.clone(),
                last_kind: Some("routed".into()),
                ..ConversationState::default()
            },
        }
    }

    fn clarify(&self, routing: &RoutingDecision, patient_id: &str) -> Outcome {
        // The likely departments, then a person as the way out.
        let mut suggestions: Vec<Suggestion> = routing
            .alternatives
            .iter()
            .filter(|alt| alt.confidence >= 0.05)
            .filter_map(|alt| self.department(&alt.department))
            .take(3)
            .map(department_suggestion)
            .collect();
        if suggestions.is_empty() {
            suggestions = self.departments.iter().map(department_suggestion).collect();
        }
        suggestions.push(self.person_suggestion(None));

        Outcome {
            kind: ReplyKind::Clarify,
            reply: replies::clarify(),
            department: None,
            confidence: routing.confidence,
            sources: Vec::new(),
            inquiries: Vec::new(),
            state: ConversationState {
                offered: suggestions.iter().map(|s| s.choice.clone()).collect(),
                pending_message: Some(patient_id.to_owned()),
                last_kind: Some("clarify".into()),
                ..ConversationState::default()
            },
            suggestions,
            urgent: None,
            knowledge: None,
            waiting_inquiry: None,
        }
    }

    fn which_team(&self, patient_id: &str) -> Outcome {
        let suggestions: Vec<Suggestion> =
            self.departments.iter().map(department_suggestion).collect();

        Outcome {
            kind: ReplyKind::Clarify,
            reply: replies::which_team(),
            department: None,
            confidence: 0.0,
            sources: Vec::new(),
            inquiries: Vec::new(),
            state: ConversationState {
                offered: suggestions.iter().map(|s| s.choice.clone()).collect(),
                pending_message: Some(patient_id.to_owned()),
                last_kind: Some("clarify".into()),
                ..ConversationState::default()
            },
            suggestions,
            urgent: None,
            knowledge: None,
            waiting_inquiry: None,
        }
    }

    fn out_of_scope(&self, reply: String, routing: &RoutingDecision) -> Outcome {
        Outcome {
            kind: ReplyKind::OutOfScope,
            reply,
            department: None,
            confidence: routing.confidence,
            sources: Vec::new(),
            inquiries: Vec::new(),
            suggestions: Vec::new(),
            urgent: None,
            knowledge: None,
            waiting_inquiry: None,
            state: ConversationState {
                last_kind: Some("out_of_scope".into()),
                ..ConversationState::default()
            },
        }
    }

    /// "No thanks" after an answer or a routed message.
    fn closing(&self, state: &ConversationState) -> Outcome {
        Outcome {
            kind: ReplyKind::OutOfScope,
            reply: "All right. If there's anything else, just type it here.".to_owned(),
            department: None,
            confidence: 1.0,
            sources: Vec::new(),
            inquiries: Vec::new(),
            suggestions: Vec::new(),
            urgent: None,
            knowledge: None,
            waiting_inquiry: None,
            state: ConversationState {
                topic: state.topic.clone(),
                topic_message: state.topic_message.clone(),
                last_kind: Some("out_of_scope".into()),
                ..ConversationState::default()
            },
        }
    }

    async fn save(
        &self,
        conversation: Conversation,
        patient_id: String,
        text: PatientText,
        assessment: &Assessment,
        outcome: Outcome,
        patient: Option<&PortalPatient>,
    ) -> Result<ChatReply, ChatError> {
        let routing = &assessment.routing;
        let alternatives =
            serde_json::to_string(&routing.alternatives).expect("plain data serialises");
        let sources = (!outcome.sources.is_empty())
            .then(|| serde_json::to_string(&outcome.sources).expect("plain data serialises"));
        let reply_id = Uuid::new_v4().to_string();

        let turn = Turn {
            conversation_id: conversation.id.clone(),
            new_token_hash: conversation.new_token_hash.clone(),
            patient_subject: conversation.patient_subject.clone(),
            read_version: conversation.version,
            state: outcome.state.to_json(),
            patient: NewMessage {
                id: patient_id,
                kind: None,
                body: text.expose().to_owned(),
                sources: None,
            },
            decision: DecisionRecord {
                kind: outcome.kind.as_str().to_owned(),
                urgent_category: outcome.urgent.as_ref().map(|u| u.category.clone()),
                department: outcome.department.clone(),
                confidence: f64::from(outcome.confidence),
                abstain: routing
                    .abstain
                    .map(|reason| format!("{reason:?}").to_lowercase()),
                alternatives,
                knowledge_id: outcome.knowledge.as_ref().map(|(id, _)| id.clone()),
                knowledge_score: outcome.knowledge.as_ref().map(|(_, s)| f64::from(*s)),
            },
            reply: NewMessage {
                id: reply_id,
                kind: Some(outcome.kind.as_str().to_owned()),
                body: outcome.reply.clone(),
                sources,
            },
            inquiries: outcome.inquiries.clone(),
            at_ms: now_ms(),
        };
        self.db.save_turn(&turn).await?;

        // A signed-in patient's own identifiers are known: they go too.
        let for_patient = patient.map(|p| Redactor::for_patient(&p.identity));
        let redactor = for_patient.as_ref().unwrap_or(&self.redactor);

        tracing::info!(
            conversation = %conversation_tag(&conversation.id),
            kind = outcome.kind.as_str(),
            department = outcome.department.as_deref().unwrap_or("-"),
            confidence = outcome.confidence,
            urgent_category = outcome.urgent.as_ref().map_or("-", |u| u.category.as_str()),
            knowledge_id = outcome.knowledge.as_ref().map_or("-", |(id, _)| id.as_str()),
            inquiries = outcome.inquiries.len(),
            message = %text.redacted(redactor),
            "chat decision"
        );

        Ok(ChatReply {
            conversation_id: conversation.id,
            conversation_token: conversation.token,
            kind: outcome.kind,
            reply: outcome.reply,
            department: outcome.department,
            confidence: outcome.confidence,
            sources: outcome.sources,
            inquiry_id: outcome
                .inquiries
                .first()
                .map(|i| i.id.clone())
                .or(outcome.waiting_inquiry),
            suggestions: outcome.suggestions,
            urgent: outcome.urgent,
        })
    }

    fn department(&self, id: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }

    fn label_for(&self, choice: &str) -> String {
        match self.department(choice) {
            Some(team) => team.name.clone(),
            None => "Talk to a person".to_owned(),
        }
    }

    fn person_suggestion(&self, team: Option<&Department>) -> Suggestion {
        Suggestion {
            choice: PERSON.to_owned(),
            label: match team {
                Some(team) => format!("Talk to someone in {}", team.name),
                None => "Talk to a person".to_owned(),
            },
        }
    }
}

/// A knowledge entry fits when routing agrees, is unsure, or ranks the
/// entry's department second.
fn fits_routing(entry_department: &str, routing: &RoutingDecision) -> bool {
    routing.abstained()
        || routing.department.as_deref() == Some(entry_department)
        || routing
            .alternatives
            .iter()
            .take(2)
            .any(|alt| alt.department == entry_department)
}

fn department_suggestion(team: &Department) -> Suggestion {
    Suggestion {
        choice: team.id.clone(),
        label: team.name.clone(),
    }
}

fn new_inquiry(department: &str, message_id: &str, urgent: bool) -> NewInquiry {
    NewInquiry {
        id: Uuid::new_v4().to_string(),
        message_id: message_id.to_owned(),
        department: department.to_owned(),
        urgent,
    }
}
