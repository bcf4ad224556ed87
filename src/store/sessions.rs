//! Staff sign-in sessions. The cookie holds a random token; only its
//! SHA-256 is stored, so a copy of the database opens no session.

use sqlx::Row;

use super::{Database, StoreError};

#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub account_id: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

impl Database {
    pub async fn insert_session(
        &self,
        token_hash: &str,
        account_id: &str,
        csrf_token: &str,
        at_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, account_id, csrf_token, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(csrf_token)
        .bind(at_ms)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT account_id, csrf_token, created_at, last_seen_at FROM staff_sessions \
             WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;

        Ok(row.map(|row| SessionRecord {
            account_id: row.get(0),
            csrf_token: row.get(1),
            created_at: row.get(2),
            last_seen_at: row.get(3),
        }))
    }

    pub async fn touch_session(&self, token_hash: &str, at_ms: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE staff_sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(at_ms)
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Drops sessions idle since `idle_before` or begun before
    /// `started_before`.
    pub async fn purge_sessions(
        &self,
        idle_before: i64,
        started_before: i64,
    ) -> Result<u64, StoreError> {
        let purged =
            sqlx::query("DELETE FROM staff_sessions WHERE last_seen_at < $1 OR created_at < $2")
                .bind(idle_before)
                .bind(started_before)
                .execute(self.pool())
                .await?;
        Ok(purged.rows_affected())
    }
}
