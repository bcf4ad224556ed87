//! Conversations, their messages, decisions and inquiries.

use sqlx::Row;

use super::rows::{ConversationRecord, ConversationSummary, InquiryRecord, MessageRecord, Turn};
use super::{Database, StoreError};

impl Database {
    pub async fn find_conversation(
        &self,
        id: &str,
    ) -> Result<Option<ConversationRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT id, token_hash, state, version, patient_subject FROM conversations WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;

        Ok(row.map(|row| ConversationRecord {
            id: row.get(0),
            token_hash: row.get(1),
            state: row.get(2),
            version: row.get(3),
            patient_subject: row.get(4),
        }))
    }

    /// Saves a whole turn atomically: a failure leaves no trace of it.
    pub async fn save_turn(&self, turn: &Turn) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;

        // The conversation row is written first so that this transaction
        // holds the write lock before it reads the next sequence number.
        match &turn.new_token_hash {
            Some(token_hash) => {
                sqlx::query(
                    "INSERT INTO conversations \
                     (id, token_hash, state, version, created_at, updated_at, patient_subject) \
                     VALUES ($1, $2, $3, 1, $4, $4, $5)",
                )
                .bind(&turn.conversation_id)
                .bind(token_hash)
                .bind(&turn.state)
                .bind(turn.at_ms)
                .bind(&turn.patient_subject)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                // Another turn saved since this one read the state: its
                // choices and context may be gone, so this one must not land.
                let updated = sqlx::query(
                    "UPDATE conversations SET state = $1, version = version + 1, updated_at = $2 \
                     WHERE id = $3 AND version = $4",
                )
                .bind(&turn.state)
                .bind(turn.at_ms)
                .bind(&turn.conversation_id)
                .bind(turn.read_version)
                .execute(&mut *tx)
                .await?;
                if updated.rows_affected() == 0 {
                    return Err(StoreError::Conflict);
                }
            }
        }

        let last: i64 =
            sqlx::query("SELECT COALESCE(MAX(seq), 0) FROM messages WHERE conversation_id = $1")
                .bind(&turn.conversation_id)
                .fetch_one(&mut *tx)
                .await?
                .get(0);

        for (offset, (message, role)) in [(&turn.patient, "patient"), (&turn.reply, "assistant")]
            .into_iter()
            .enumerate()
        {
            sqlx::query(
                "INSERT INTO messages (id, conversation_id, seq, role, kind, body, sources, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&message.id)
            .bind(&turn.conversation_id)
            .bind(last + 1 + offset as i64)
            .bind(role)
            .bind(&message.kind)
            .bind(&message.body)
            .bind(&message.sources)
            .bind(turn.at_ms)
            .execute(&mut *tx)
            .await?;
        }

        let decision = &turn.decision;
        sqlx::query(
            "INSERT INTO routing_decisions (message_id, kind, urgent_category, department, \
             confidence, abstain, alternatives, knowledge_id, knowledge_score, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&turn.patient.id)
        .bind(&decision.kind)
        .bind(&decision.urgent_category)
        .bind(&decision.department)
        .bind(decision.confidence)
        .bind(&decision.abstain)
        .bind(&decision.alternatives)
        .bind(&decision.knowledge_id)
        .bind(decision.knowledge_score)
        .bind(turn.at_ms)
        .execute(&mut *tx)
        .await?;

        for inquiry in &turn.inquiries {
            sqlx::query(
                "INSERT INTO inquiries (id, conversation_id, message_id, department, priority, \
                 status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'open', $6, $6)",
            )
            .bind(&inquiry.id)
            .bind(&turn.conversation_id)
            .bind(&inquiry.message_id)
            .bind(&inquiry.department)
            .bind(if inquiry.urgent { "urgent" } else { "normal" })
            .bind(turn.at_ms)
            .execute(&mut *tx)
            .await?;
        }

        tx.commit().await?;
        Ok(())
    }

    /// The text of one message of a conversation.
    pub async fn message_body(
        &self,
        conversation_id: &str,
        message_id: &str,
    ) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT body FROM messages WHERE conversation_id = $1 AND id = $2")
            .bind(conversation_id)
            .bind(message_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|row| row.get(0)))
    }

    /// Every message of a conversation, oldest first.
    pub async fn transcript(
        &self,
        conversation_id: &str,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        self.transcript_after(conversation_id, 0).await
    }

    /// The messages after sequence number `after`, oldest first.
    pub async fn transcript_after(
        &self,
        conversation_id: &str,
        after: i64,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.seq, m.role, m.kind, m.body, m.sources, m.created_at, a.name, m.department \
             FROM messages m LEFT JOIN staff_accounts a ON a.id = m.author_id \
             WHERE m.conversation_id = $1 AND m.seq > $2 ORDER BY m.seq",
        )
        .bind(conversation_id)
        .bind(after)
        .fetch_all(self.pool())
        .await?;

        Ok(rows
            .into_iter()
            .map(|row| MessageRecord {
                seq: row.get(0),
                role: row.get(1),
                kind: row.get(2),
                body: row.get(3),
                sources: row.get(4),
                created_at: row.get(5),
                author_name: row.get(6),
                department: row.get(7),
            })
            .collect())
    }

    /// A signed-in patient's conversations, most recently active first.
    pub async fn conversations_of(
        &self,
        patient_subject: &str,
    ) -> Result<Vec<ConversationSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.id, c.created_at, c.updated_at, \
             (SELECT COUNT(*) FROM inquiries i WHERE i.conversation_id = c.id AND i.status <> 'resolved') \
             FROM conversations c WHERE c.patient_subject = $1 \
             ORDER BY c.updated_at DESC, c.id LIMIT 100",
        )
        .bind(patient_subject)
        .fetch_all(self.pool())
        .await?;

        Ok(rows
            .into_iter()
            .map(|row| ConversationSummary {
                id: row.get(0),
                created_at: row.get(1),
                updated_at: row.get(2),
                open_inquiries: row.get(3),
            })
            .collect())
    }

    /// Inquiries raised in a conversation, oldest first.
    pub async fn inquiries_of(
        &self,
        conversation_id: &str,
    ) -> Result<Vec<InquiryRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, conversation_id, message_id, department, priority, status, created_at \
             FROM inquiries WHERE conversation_id = $1 ORDER BY created_at, id",
        )
        .bind(conversation_id)
        .fetch_all(self.pool())
        .await?;

        Ok(rows
            .into_iter()
            .map(|row| InquiryRecord {
                id: row.get(0),
                conversation_id: row.get(1),
                message_id: row.get(2),
                department: row.get(3),
                priority: row.get(4),
                status: row.get(5),
                created_at: row.get(6),
            })
            .collect())
    }

    /// Row counts per table, for tests and the start-up log.
    pub async fn count(&self, table: Table) -> Result<i64, StoreError> {
        let sql = match table {
            Table::Conversations => "SELECT COUNT(*) FROM conversations",
            Table::Messages => "SELECT COUNT(*) FROM messages",
            Table::Decisions => "SELECT COUNT(*) FROM routing_decisions",
            Table::Inquiries => "SELECT COUNT(*) FROM inquiries",
        };
        Ok(sqlx::query(sql).fetch_one(self.pool()).await?.get(0))
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Table {
    Conversations,
    Messages,
    Decisions,
    Inquiries,
}
