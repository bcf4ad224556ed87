//! Canned responses per department, and the access log.

use sqlx::Row;

use super::{Database, StoreError};

#[derive(Debug, Clone)]
pub struct CannedRow {
    pub id: String,
    pub department: String,
    pub title: String,
    pub body: String,
}

/// One person opening patient data.
#[derive(Debug, Clone)]
pub struct Access<'a> {
    pub actor_id: &'a str,
    /// `inquiry.view`, `queue.view`, …
    pub action: &'a str,
    pub conversation_id: Option<&'a str>,
    pub inquiry_id: Option<&'a str>,
    pub at_ms: i64,
}

impl Database {
    pub async fn canned(&self, department: &str) -> Result<Vec<CannedRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, department, title, body FROM canned_responses \
             WHERE department = $1 ORDER BY title, id",
        )
        .bind(department)
        .fetch_all(self.pool())
        .await?;

        Ok(rows
            .iter()
            .map(|row| CannedRow {
                id: row.get(0),
                department: row.get(1),
                title: row.get(2),
                body: row.get(3),
            })
            .collect())
    }

    pub async fn insert_canned(
        &self,
        canned: &CannedRow,
        created_by: &str,
        at_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO canned_responses (id, department, title, body, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&canned.id)
        .bind(&canned.department)
        .bind(&canned.title)
        .bind(&canned.body)
        .bind(created_by)
        .bind(at_ms)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn delete_canned(&self, id: &str) -> Result<bool, StoreError> {
        let deleted = sqlx::query("DELETE FROM canned_responses WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(deleted.rows_affected() == 1)
    }

    pub async fn record_access(&self, access: &Access<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO access_log (id, actor_id, action, conversation_id, inquiry_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(access.actor_id)
        .bind(access.action)
        .bind(access.conversation_id)
        .bind(access.inquiry_id)
        .bind(access.at_ms)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Who opened a conversation's data, oldest first: `(actor, action, at)`.
    pub async fn accesses_of(
        &self,
        conversation_id: &str,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT actor_id, action, created_at FROM access_log \
             WHERE conversation_id = $1 ORDER BY created_at, id",
        )
        .bind(conversation_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2)))
            .collect())
    }
}
