//! The department queues: listing, and every change to an inquiry as one
//! conditional UPDATE plus its history row, in one transaction. The
//! conditions carry the rules (who may act, from which status), so two
//! people acting at once cannot both win.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Database, StoreError};

/// Most inquiries one queue listing returns.
pub const QUEUE_LIMIT: i64 = 500;

/// Which inquiries a listing shows. A claim past its expiry counts as open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Active,
    Open,
    Claimed,
    Resolved,
}

#[derive(Debug, Clone)]
pub struct InquiryRow {
    pub id: String,
    pub conversation_id: String,
    pub message_id: String,
    pub department: String,
    pub priority: String,
    /// As stored: `claimed` may have lapsed (see `claim_expires_at`).
    pub status: String,
    pub created_at: i64,
    pub claimed_by: Option<String>,
    pub claimed_by_name: Option<String>,
    pub claim_expires_at: Option<i64>,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
    /// The patient message the inquiry is about.
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct NoteRow {
    pub id: String,
    pub author_id: String,
    pub author_name: String,
    pub body: String,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct EventRow {
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub action: String,
    pub detail: Option<String>,
    pub created_at: i64,
}

/// A change to one inquiry, by one person, at one moment.
#[derive(Debug, Clone)]
pub struct Action<'a> {
    pub inquiry_id: &'a str,
    /// The department the actor was allowed to act in when they asked.
    pub department: &'a str,
    pub actor_id: &'a str,
    pub at_ms: i64,
    /// When a claim this action takes or refreshes lapses.
    pub claim_until: i64,
}

const INQUIRY_SELECT: &str = "SELECT i.id, i.conversation_id, i.message_id, i.department, \
     i.priority, i.status, i.created_at, i.claimed_by, a.name, i.claim_expires_at, \
     i.first_response_at, i.resolved_at, m.body \
     FROM inquiries i JOIN messages m ON m.id = i.message_id \
     LEFT JOIN staff_accounts a ON a.id = i.claimed_by";

/// The actor may act: nobody holds a live claim, or they do. Written on
/// the updated row itself (no sub-select), so PostgreSQL re-checks it
/// against a row another transaction just changed.
const FREE_OR_MINE: &str = "(status = 'open' OR claimed_by = $3 OR claim_expires_at < $4)";

fn inquiry(row: &AnyRow) -> InquiryRow {
    InquiryRow {
        id: row.get(0),
        conversation_id: row.get(1),
        message_id: row.get(2),
        department: row.get(3),
        priority: row.get(4),
        status: row.get(5),
        created_at: row.get(6),
        claimed_by: row.get(7),
        claimed_by_name: row.get(8),
        claim_expires_at: row.get(9),
        first_response_at: row.get(10),
        resolved_at: row.get(11),
        message: row.get(12),
    }
}

impl Database {
    /// Inquiries of `departments`, urgent first, then oldest first.
    pub async fn queue(
        &self,
        departments: &[String],
        filter: StatusFilter,
        now_ms: i64,
    ) -> Result<Vec<InquiryRow>, StoreError> {
        if departments.is_empty() {
            return Ok(Vec::new());
        }
        let status = match filter {
            StatusFilter::Active => "i.status IN ('open', 'claimed')",
            StatusFilter::Open => {
                "(i.status = 'open' OR (i.status = 'claimed' AND i.claim_expires_at < $1))"
            }
            StatusFilter::Claimed => "(i.status = 'claimed' AND i.claim_expires_at >= $1)",
            StatusFilter::Resolved => "i.status = 'resolved'",
        };
        let placeholders: Vec<String> = (0..departments.len())
            .map(|n| format!("${}", n + 3))
            .collect();
        // `$1 = $1` keeps the parameter used when the filter ignores it.
        let sql = format!(
            "{INQUIRY_SELECT} WHERE {status} AND $1 = $1 AND i.department IN ({}) \
             ORDER BY CASE WHEN i.priority = 'urgent' THEN 0 ELSE 1 END, i.created_at, i.id \
             LIMIT $2",
            placeholders.join(", ")
        );

        let mut query = sqlx::query(&sql).bind(now_ms).bind(QUEUE_LIMIT);
        for department in departments {
            query = query.bind(department);
        }
        Ok(query
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(inquiry)
            .collect())
    }

    pub async fn inquiry(&self, id: &str) -> Result<Option<InquiryRow>, StoreError> {
        let sql = format!("{INQUIRY_SELECT} WHERE i.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(inquiry))
    }

    /// Takes the inquiry, or refreshes one's own claim.
    pub async fn claim(&self, action: &Action<'_>) -> Result<bool, StoreError> {
        self.transition(
            action,
            "status = 'claimed', claimed_by = $3, claim_expires_at = $5",
            &format!("status <> 'resolved' AND {FREE_OR_MINE}"),
            "claimed",
            None,
        )
        .await
    }

    pub async fn release(&self, action: &Action<'_>) -> Result<bool, StoreError> {
        self.transition(
            action,
            "status = 'open', claimed_by = NULL, claim_expires_at = NULL",
            "status = 'claimed' AND claimed_by = $3 AND $4 = $4 AND $5 = $5",
            "released",
            None,
        )
        .await
    }

    pub async fn resolve(&self, action: &Action<'_>) -> Result<bool, StoreError> {
        self.transition(
            action,
            "status = 'resolved', resolved_at = $4, claimed_by = NULL, claim_expires_at = NULL",
            &format!("status <> 'resolved' AND {FREE_OR_MINE} AND $5 = $5"),
            "resolved",
            None,
        )
        .await
    }

    pub async fn reopen(&self, action: &Action<'_>) -> Result<bool, StoreError> {
        self.transition(
            action,
            "status = 'open', resolved_at = NULL",
            "status = 'resolved' AND $3 = $3 AND $4 = $4 AND $5 = $5",
            "reopened",
            None,
        )
        .await
    }

    /// Moves the inquiry to another queue, open and unclaimed, and keeps
    /// the correction for retraining the router.
    pub async fn transfer(
        &self,
        action: &Action<'_>,
        to_department: &str,
        reason: &str,
        detail: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await?;

        let sql = format!(
            "UPDATE inquiries SET department = $6, status = 'open', claimed_by = NULL, \
             claim_expires_at = NULL, updated_at = $4 \
             WHERE id = $1 AND department = $2 AND $5 = $5 AND status <> 'resolved' \
             AND {FREE_OR_MINE}"
        );
        let moved = sqlx::query(&sql)
            .bind(action.inquiry_id)
            .bind(action.department)
            .bind(action.actor_id)
            .bind(action.at_ms)
            .bind(action.claim_until)
            .bind(to_department)
            .execute(&mut *tx)
            .await?;
        if moved.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO routing_corrections (id, inquiry_id, message_id, from_department, \
             to_department, reason, account_id, created_at) \
             SELECT $1, id, message_id, $2, $3, $4, $5, $6 FROM inquiries WHERE id = $7",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(action.department)
        .bind(to_department)
        .bind(reason)
        .bind(action.actor_id)
        .bind(action.at_ms)
        .bind(action.inquiry_id)
        .execute(&mut *tx)
        .await?;
        insert_event(&mut tx, action, "transferred", Some(detail)).await?;

        tx.commit().await?;
        Ok(true)
    }

    /// A staff reply: claims the inquiry if nobody holds it, then adds the
    /// message to the conversation, where the patient sees it.
    pub async fn staff_reply(
        &self,
        action: &Action<'_>,
        message_id: &str,
        body: &str,
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.pool().begin().await?;

        let sql = format!(
            "UPDATE inquiries SET status = 'claimed', claimed_by = $3, claim_expires_at = $5, \
             first_response_at = COALESCE(first_response_at, $4), updated_at = $4 \
             WHERE id = $1 AND department = $2 AND status <> 'resolved' AND {FREE_OR_MINE}"
        );
        let taken = sqlx::query(&sql)
            .bind(action.inquiry_id)
            .bind(action.department)
            .bind(action.actor_id)
            .bind(action.at_ms)
            .bind(action.claim_until)
            .execute(&mut *tx)
            .await?;
        if taken.rows_affected() == 0 {
            return Ok(None);
        }

        // The conversation row first: it serialises this message with a
        // patient turn saving at the same time (see `save_turn`).
        let conversation_id: String =
            sqlx::query("SELECT conversation_id FROM inquiries WHERE id = $1")
                .bind(action.inquiry_id)
                .fetch_one(&mut *tx)
                .await?
                .get(0);
        sqlx::query("UPDATE conversations SET updated_at = $1 WHERE id = $2")
            .bind(action.at_ms)
            .bind(&conversation_id)
            .execute(&mut *tx)
            .await?;
        let seq: i64 = sqlx::query(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conversation_id = $1",
        )
        .bind(&conversation_id)
        .fetch_one(&mut *tx)
        .await?
        .get(0);
        sqlx::query(
            "INSERT INTO messages (id, conversation_id, seq, role, kind, body, sources, \
             created_at, author_id, department) \
             VALUES ($1, $2, $3, 'staff', NULL, $4, NULL, $5, $6, $7)",
        )
        .bind(message_id)
        .bind(&conversation_id)
        .bind(seq)
        .bind(body)
        .bind(action.at_ms)
        .bind(action.actor_id)
        .bind(action.department)
        .execute(&mut *tx)
        .await?;
        insert_event(&mut tx, action, "replied", None).await?;

        tx.commit().await?;
        Ok(Some(seq))
    }

    /// An internal note; refreshes the author's claim if they hold one.
    pub async fn add_note(
        &self,
        action: &Action<'_>,
        note_id: &str,
        body: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;

        sqlx::query(
            "INSERT INTO inquiry_notes (id, inquiry_id, author_id, body, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(note_id)
        .bind(action.inquiry_id)
        .bind(action.actor_id)
        .bind(body)
        .bind(action.at_ms)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE inquiries SET claim_expires_at = $1 \
             WHERE id = $2 AND status = 'claimed' AND claimed_by = $3",
        )
        .bind(action.claim_until)
        .bind(action.inquiry_id)
        .bind(action.actor_id)
        .execute(&mut *tx)
        .await?;
        insert_event(&mut tx, action, "noted", None).await?;

        tx.commit().await?;
        Ok(())
    }

    pub async fn notes(&self, inquiry_id: &str) -> Result<Vec<NoteRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT n.id, n.author_id, a.name, n.body, n.created_at FROM inquiry_notes n \
             JOIN staff_accounts a ON a.id = n.author_id \
             WHERE n.inquiry_id = $1 ORDER BY n.created_at, n.id",
        )
        .bind(inquiry_id)
        .fetch_all(self.pool())
        .await?;

        Ok(rows
            .iter()
            .map(|row| NoteRow {
                id: row.get(0),
                author_id: row.get(1),
                author_name: row.get(2),
                body: row.get(3),
                created_at: row.get(4),
            })
            .collect())
    }

    pub async fn events(&self, inquiry_id: &str) -> Result<Vec<EventRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.actor_id, a.name, e.action, e.detail, e.created_at FROM inquiry_events e \
             LEFT JOIN staff_accounts a ON a.id = e.actor_id \
             WHERE e.inquiry_id = $1 ORDER BY e.created_at, e.id",
        )
        .bind(inquiry_id)
        .fetch_all(self.pool())
        .await?;

        Ok(rows
            .iter()
            .map(|row| EventRow {
                actor_id: row.get(0),
                actor_name: row.get(1),
                action: row.get(2),
                detail: row.get(3),
                created_at: row.get(4),
            })
            .collect())
    }

    /// One conditional UPDATE and its history row. The `set` and `when`
    /// clauses may use $3 (actor), $4 (now) and $5 (claim until).
    async fn transition(
        &self,
        action: &Action<'_>,
        set: &str,
        when: &str,
        event: &str,
        detail: Option<&str>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await?;

        let sql = format!(
            "UPDATE inquiries SET {set}, updated_at = $4 \
             WHERE id = $1 AND department = $2 AND {when}"
        );
        let changed = sqlx::query(&sql)
            .bind(action.inquiry_id)
            .bind(action.department)
            .bind(action.actor_id)
            .bind(action.at_ms)
            .bind(action.claim_until)
            .execute(&mut *tx)
            .await?;
        if changed.rows_affected() == 0 {
            return Ok(false);
        }
        insert_event(&mut tx, action, event, detail).await?;

        tx.commit().await?;
        Ok(true)
    }
}

async fn insert_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    action: &Action<'_>,
    event: &str,
    detail: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO inquiry_events (id, inquiry_id, actor_id, action, detail, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(action.inquiry_id)
    .bind(action.actor_id)
    .bind(event)
    .bind(detail)
    .bind(action.at_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
