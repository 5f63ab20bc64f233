//! The page's session memory: text values in the browser's `localStorage`, so that a tab's
//! set-up and results survive a reload. Every failure (storage disabled, quota full) is
//! reported as a message, never a panic.

fn storage() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .ok_or("no window")?
        .local_storage()
        .map_err(|_| "the browser refuses local storage".to_string())?
        .ok_or_else(|| "the browser has no local storage".to_string())
}

/// The text stored under `key`, if any.
pub fn load(key: &str) -> Option<String> {
    storage().ok()?.get_item(key).ok()?
}

/// Stores `value` under `key`.
///
/// # Errors
/// A message when storage is unavailable or full.
pub fn save(key: &str, value: &str) -> Result<(), String> {
    storage()?
        .set_item(key, value)
        .map_err(|_| "the browser's storage is full or disabled; the session is not saved".into())
}

/// Forgets `key`.
pub fn remove(key: &str) {
    if let Ok(s) = storage() {
        let _ = s.remove_item(key);
    }
}
