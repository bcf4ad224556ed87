//! Working the queues. Every call takes the acting account: an inquiry
//! outside its departments does not exist for it (404, never 403), and
//! every look at patient data is written to the access log.

use uuid::Uuid;

use super::business_hours::BusinessHours;
use super::views::{Canned, DepartmentInfo, Event, InquiryDetail, InquirySummary, Note};
use crate::auth::Account;
use crate::chat::TranscriptMessage;
use crate::config::QueueConfig;
use crate::message::{MessageError, check_message};
use crate::routing::{Department, ResponseTarget};
use crate::store::{
    Access, Action, CannedRow, Database, InquiryRow, StatusFilter, StoreError, now_ms, secs_to_ms,
};

/// Longest canned-response title.
const MAX_TITLE_CHARS: usize = 120;

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("no such inquiry in your departments")]
    InquiryNotFound,
    #[error("no such department among yours")]
    DepartmentNotFound,
    #[error("someone else is working on this inquiry")]
    AlreadyClaimed,
    #[error("{0}")]
    InvalidTransition(&'static str),
    #[error("`{field}`: {problem}")]
    InvalidField {
        field: &'static str,
        problem: String,
    },
    #[error("no such canned response")]
    CannedNotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct QueueService {
    db: Database,
    departments: Vec<Department>,
    hours: BusinessHours,
    claim_ttl_ms: i64,
    urgent_target_ms: i64,
}

impl QueueService {
    pub fn new(db: Database, departments: Vec<Department>, config: &QueueConfig) -> Self {
        let hours = BusinessHours::from_config(config)
            .expect("queue settings are checked when the configuration loads");
        Self {
            db,
            departments,
            hours,
            claim_ttl_ms: secs_to_ms(config.claim_ttl_secs),
            urgent_target_ms: secs_to_ms(config.urgent_target_minutes.saturating_mul(60)),
        }
    }

    pub fn departments(&self, account: &Account) -> Vec<DepartmentInfo> {
        self.departments
            .iter()
            .map(|d| DepartmentInfo {
                id: d.id.clone(),
                name: d.name.clone(),
                response_time: d.response_time.clone(),
                mine: account.works_in(&d.id),
            })
            .collect()
    }

    /// One queue (or all of the account's), urgent first, then oldest.
    pub async fn list(
        &self,
        account: &Account,
        department: Option<&str>,
        filter: StatusFilter,
    ) -> Result<Vec<InquirySummary>, QueueError> {
        let departments = match department {
            Some(id) if account.works_in(id) => vec![id.to_owned()],
            Some(_) => return Err(QueueError::DepartmentNotFound),
            None => account.departments.clone(),
        };
        let now = now_ms();

        let rows = self.db.queue(&departments, filter, now).await?;
        self.db
            .record_access(&Access {
                actor_id: &account.id,
                action: "queue.view",
                conversation_id: None,
                inquiry_id: None,
                at_ms: now,
            })
            .await?;
        Ok(rows.into_iter().map(|row| self.summary(row, now)).collect())
    }

    /// The inquiry with its whole conversation, notes and history.
    pub async fn detail(&self, account: &Account, id: &str) -> Result<InquiryDetail, QueueError> {
        let row = self.visible(account, id).await?;
        let now = now_ms();

        let transcript = self
            .db
            .transcript(&row.conversation_id)
            .await?
            .into_iter()
            .map(|message| TranscriptMessage::from_record(message, &self.departments))
            .collect();
        let notes = self
            .db
            .notes(id)
            .await?
            .into_iter()
            .map(Note::from)
            .collect();
        let mut history = vec![Event {
            at: crate::store::format_ms(row.created_at),
            actor: None,
            action: "created".to_owned(),
            detail: None,
        }];
        history.extend(self.db.events(id).await?.into_iter().map(Event::from));
        self.db
            .record_access(&Access {
                actor_id: &account.id,
                action: "inquiry.view",
                conversation_id: Some(&row.conversation_id),
                inquiry_id: Some(id),
                at_ms: now,
            })
            .await?;

        Ok(InquiryDetail {
            inquiry: self.summary(row, now),
            transcript,
            notes,
            history,
        })
    }

    pub async fn claim(&self, account: &Account, id: &str) -> Result<InquirySummary, QueueError> {
        let row = self.visible(account, id).await?;
        let changed = self.db.claim(&self.action(account, &row)).await?;
        self.after(
            account,
            row,
            changed,
            "a resolved inquiry cannot be claimed; reopen it first",
        )
        .await
    }

    pub async fn release(&self, account: &Account, id: &str) -> Result<InquirySummary, QueueError> {
        let row = self.visible(account, id).await?;
        let changed = self.db.release(&self.action(account, &row)).await?;
        self.after(
            account,
            row,
            changed,
            "only the person holding the claim can release it",
        )
        .await
    }

    pub async fn resolve(&self, account: &Account, id: &str) -> Result<InquirySummary, QueueError> {
        let row = self.visible(account, id).await?;
        let changed = self.db.resolve(&self.action(account, &row)).await?;
        self.after(account, row, changed, "the inquiry is resolved already")
            .await
    }

    pub async fn reopen(&self, account: &Account, id: &str) -> Result<InquirySummary, QueueError> {
        let row = self.visible(account, id).await?;
        let changed = self.db.reopen(&self.action(account, &row)).await?;
        self.after(
            account,
            row,
            changed,
            "only a resolved inquiry can be reopened",
        )
        .await
    }

    /// A reply the patient sees in the widget; takes the claim if free.
    pub async fn reply(
        &self,
        account: &Account,
        id: &str,
        text: &str,
    ) -> Result<TranscriptMessage, QueueError> {
        let text = checked_text("text", text)?;
        let row = self.visible(account, id).await?;
        let action = self.action(account, &row);

        let message_id = Uuid::new_v4().to_string();
        let Some(seq) = self.db.staff_reply(&action, &message_id, &text).await? else {
            return Err(self
                .why_refused(id, account, "reopen the inquiry to reply")
                .await);
        };
        tracing::info!(inquiry = %id, account = %account.id, department = %row.department, "staff replied");

        let message = self
            .db
            .transcript_after(&row.conversation_id, seq - 1)
            .await?
            .into_iter()
            .next()
            .ok_or(QueueError::InquiryNotFound)?;
        Ok(TranscriptMessage::from_record(message, &self.departments))
    }

    /// A note for colleagues; the patient never sees it.
    pub async fn note(&self, account: &Account, id: &str, text: &str) -> Result<Note, QueueError> {
        let text = checked_text("text", text)?;
        let row = self.visible(account, id).await?;
        let action = self.action(account, &row);

        let note_id = Uuid::new_v4().to_string();
        self.db.add_note(&action, &note_id, &text).await?;

        let note = self
            .db
            .notes(id)
            .await?
            .into_iter()
            .find(|note| note.id == note_id)
            .ok_or(QueueError::InquiryNotFound)?;
        Ok(Note::from(note))
    }

    /// Moves a misrouted inquiry; the move is kept as a routing correction.
    pub async fn transfer(
        &self,
        account: &Account,
        id: &str,
        to: &str,
        reason: &str,
    ) -> Result<InquirySummary, QueueError> {
        let reason = checked_text("reason", reason)?;
        let row = self.visible(account, id).await?;
        let target = self
            .department(to)
            .ok_or_else(|| QueueError::InvalidField {
                field: "department",
                problem: format!("`{to}` is not a department"),
            })?;
        if target.id == row.department {
            return Err(QueueError::InvalidTransition(
                "the inquiry is in that department already",
            ));
        }

        let detail = format!(
            "{} → {}: {reason}",
            self.name_of(&row.department),
            target.name
        );
        let moved = self
            .db
            .transfer(&self.action(account, &row), &target.id, &reason, &detail)
            .await?;
        if !moved {
            return Err(self
                .why_refused(id, account, "a resolved inquiry cannot be transferred")
                .await);
        }
        tracing::info!(inquiry = %id, from = %row.department, to = %target.id, "inquiry transferred");

        // The inquiry has left the account's departments, maybe: show it
        // as it now is either way.
        let moved = self
            .db
            .inquiry(id)
            .await?
            .ok_or(QueueError::InquiryNotFound)?;
        Ok(self.summary(moved, now_ms()))
    }

    pub async fn canned(
        &self,
        account: &Account,
        department: &str,
    ) -> Result<Vec<Canned>, QueueError> {
        if !account.works_in(department) && !account.is_admin() {
            return Err(QueueError::DepartmentNotFound);
        }
        let rows = self.db.canned(department).await?;
        Ok(rows.into_iter().map(Canned::from).collect())
    }

    pub async fn add_canned(
        &self,
        account: &Account,
        department: &str,
        title: &str,
        body: &str,
    ) -> Result<Canned, QueueError> {
        if self.department(department).is_none() {
            return Err(QueueError::DepartmentNotFound);
        }
        let title = title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
            return Err(QueueError::InvalidField {
                field: "title",
                problem: format!("must be 1 to {MAX_TITLE_CHARS} characters"),
            });
        }
        let row = CannedRow {
            id: Uuid::new_v4().to_string(),
            department: department.to_owned(),
            title: title.to_owned(),
            body: checked_text("body", body)?,
        };
        self.db.insert_canned(&row, &account.id, now_ms()).await?;
        Ok(Canned::from(row))
    }

    pub async fn delete_canned(&self, id: &str) -> Result<(), QueueError> {
        if self.db.delete_canned(id).await? {
            Ok(())
        } else {
            Err(QueueError::CannedNotFound)
        }
    }

    /// The inquiry, if it is in one of the account's departments.
    async fn visible(&self, account: &Account, id: &str) -> Result<InquiryRow, QueueError> {
        self.db
            .inquiry(id)
            .await?
            .filter(|row| account.works_in(&row.department))
            .ok_or(QueueError::InquiryNotFound)
    }

    fn action<'a>(&self, account: &'a Account, row: &'a InquiryRow) -> Action<'a> {
        let now = now_ms();
        Action {
            inquiry_id: &row.id,
            department: &row.department,
            actor_id: &account.id,
            at_ms: now,
            claim_until: now.saturating_add(self.claim_ttl_ms),
        }
    }

    /// The inquiry after a change, or why the change was refused.
    async fn after(
        &self,
        account: &Account,
        row: InquiryRow,
        changed: bool,
        otherwise: &'static str,
    ) -> Result<InquirySummary, QueueError> {
        if !changed {
            return Err(self.why_refused(&row.id, account, otherwise).await);
        }
        let now = now_ms();
        let current = self.visible(account, &row.id).await?;
        Ok(self.summary(current, now))
    }

    async fn why_refused(
        &self,
        id: &str,
        account: &Account,
        otherwise: &'static str,
    ) -> QueueError {
        let now = now_ms();
        match self.db.inquiry(id).await {
            Err(error) => error.into(),
            Ok(None) => QueueError::InquiryNotFound,
            Ok(Some(row)) if !account.works_in(&row.department) => QueueError::InquiryNotFound,
            Ok(Some(row))
                if row.status == "claimed"
                    && row.claimed_by.as_deref() != Some(account.id.as_str())
                    && row.claim_expires_at.is_some_and(|t| t >= now) =>
            {
                QueueError::AlreadyClaimed
            }
            Ok(Some(_)) => QueueError::InvalidTransition(otherwise),
        }
    }

    fn summary(&self, row: InquiryRow, now: i64) -> InquirySummary {
        let due = self.due(&row);
        InquirySummary::new(row, due, now)
    }

    /// Urgent: minutes of clock time. Otherwise the department's promise,
    /// counted in business hours.
    fn due(&self, row: &InquiryRow) -> i64 {
        if row.priority == "urgent" {
            return row.created_at.saturating_add(self.urgent_target_ms);
        }
        let minutes = match self.department(&row.department).map(|d| d.response_target) {
            Some(ResponseTarget::BusinessHours(hours)) => i64::from(hours) * 60,
            Some(ResponseTarget::BusinessDays(days)) => i64::from(days) * self.hours.day_minutes(),
            None => self.hours.day_minutes(),
        };
        self.hours.add_minutes(row.created_at, minutes)
    }

    fn department(&self, id: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }

    fn name_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.department(id).map_or(id, |d| d.name.as_str())
    }
}

/// Staff text follows the same rules as patient text.
fn checked_text(field: &'static str, text: &str) -> Result<String, QueueError> {
    let problem = match check_message(text) {
        Ok(()) => return Ok(text.trim().to_owned()),
        Err(MessageError::Empty) => "must not be empty".to_owned(),
        Err(MessageError::TooLong { .. }) => {
            format!(
                "must be at most {} characters",
                crate::message::MAX_MESSAGE_CHARS
            )
        }
        Err(MessageError::ControlCharacter) => "must not hold control characters".to_owned(),
    };
    Err(QueueError::InvalidField { field, problem })
}
