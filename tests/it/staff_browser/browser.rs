//! The browser the scenarios drive: waits that give up after `WAIT`,
//! typing and key presses, windows, and the checks every console page
//! passes as it loads.

use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::wd::WindowHandle;
use fantoccini::{Client, Locator};
use serde_json::Value;

use super::Authenticator;
use crate::chromium::Chromium;
use crate::common::server;
use crate::staff_client::totp;

/// The longest any single wait may take, page loads and replies included.
const WAIT: Duration = Duration::from_secs(20);

const ASSET_URLS: &str = "
    return [...document.querySelectorAll('script[src], link[href]')]
        .map((asset) => asset.src || asset.href);";

/// One Chromium: the console in its first window, patients in others.
pub(super) struct Browser {
    chromium: Chromium,
    console: WindowHandle,
}

impl Browser {
    pub(super) async fn start() -> Self {
        let chromium = Chromium::start(1200, 900).await;
        let console = chromium.client.window().await.expect("a window");
        Browser { chromium, console }
    }

    pub(super) async fn close(self) {
        self.chromium.close().await;
    }

    pub(super) fn client(&self) -> &Client {
        &self.chromium.client
    }

    pub(super) async fn open(&self, path: &str) {
        let page = server().url(path);
        self.client().goto(&page).await.expect("page loads");
    }

    /// A new window, with storage of its own, that takes the commands.
    pub(super) async fn open_window(&self) -> WindowHandle {
        let window = self.client().new_window(false).await.expect("window");
        self.switch_to(&window.handle).await;
        window.handle
    }

    /// Closes the current window; the console window takes the commands.
    pub(super) async fn close_window(&self) {
        self.client().close_window().await.expect("window closes");
        self.to_console().await;
    }

    pub(super) async fn switch_to(&self, window: &WindowHandle) {
        let switched = self.client().switch_to_window(window.clone()).await;
        switched.expect("window exists");
    }

    pub(super) async fn to_console(&self) {
        self.switch_to(&self.console).await;
    }

    /// Waits for a console page to load, then checks it loads only our
    /// own code: the server's policy is default-src 'self'.
    pub(super) async fn arrive(&self, path: &str) {
        let loaded =
            format!("location.pathname === '{path}' && document.readyState === 'complete'");
        self.wait_until(path, &loaded).await;

        let assets = self.script(ASSET_URLS).await;
        let assets = assets.as_array().expect("a list of URLs");
        assert!(!assets.is_empty());
        for asset in assets {
            let asset = asset.as_str().expect("a URL");
            assert!(asset.starts_with(&server().url("/")), "{asset} is foreign");
        }
        assert_eq!(self.count("script:not([src])").await, 0, "{path}");
        assert_eq!(self.count("[style]").await, 0, "{path}");
    }

    /// Signs in from the sign-in page with the keyboard alone.
    pub(super) async fn sign_in_with_keyboard(
        &self,
        email: &str,
        password: &str,
        code: Option<&str>,
    ) {
        self.open("/staff/").await;
        self.arrive("/staff/").await;
        self.wait_for("#email:focus").await;

        self.type_keys(email).await;
        self.press(&[Key::Tab]).await;
        assert_eq!(self.focused_id().await, "password");
        self.type_keys(password).await;
        self.press(&[Key::Tab]).await;
        assert_eq!(self.focused_id().await, "code");
        if let Some(code) = code {
            self.type_keys(code).await;
        }
        self.press(&[Key::Enter]).await;
    }

    /// The enrolment page: reads the key, confirms with the current code,
    /// and keeps the recovery codes it shows.
    pub(super) async fn set_up_authenticator(&self) -> Authenticator {
        self.arrive("/staff/enrol.html").await;
        let key = self.wait_for("#enrol-section:not([hidden]) #secret").await;
        let secret = attribute(&key, "data-secret").await;
        assert!(secret.len() >= 16, "{secret:?}");
        assert_eq!(key.text().await.expect("text").replace(' ', ""), secret);
        assert_eq!(self.value_of("#secret-plain").await, secret);
        let link = self.text_of("#otpauth-url").await;
        assert!(link.starts_with("otpauth://totp/"), "{link:?}");
        let qr_drawn = "(() => { const qr = document.getElementById('qr'); \
                        return qr.complete && qr.naturalWidth > 0; })()";
        self.wait_until("the QR code", qr_drawn).await;

        self.fill("#enrol-code", &totp(&secret, 0)).await;
        self.press(&[Key::Enter]).await;

        self.wait_for("#recovery-section:not([hidden])").await;
        self.wait_for("#recovery-heading:focus").await;
        let recovery_codes = self.texts_of("#recovery-codes > li").await;
        assert_eq!(recovery_codes.len(), 10, "{}", recovery_codes.len());
        for code in &recovery_codes {
            let groups: Vec<&str> = code.split('-').collect();
            let shaped = groups.len() == 3 && groups.iter().all(|g| g.len() == 4);
            assert!(shaped, "a recovery code looks like xxxx-xxxx-xxxx");
        }
        let mut distinct = recovery_codes.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 10, "recovery codes differ");
        self.click("#recovery-done").await;

        Authenticator {
            secret,
            recovery_codes,
        }
    }

    pub(super) async fn sign_out(&self) {
        self.click("#sign-out").await;
        self.arrive("/staff/index.html").await;
        let said = "document.getElementById('status').textContent === 'You have signed out.'";
        self.wait_until("signed out", said).await;
    }

    /// Presses the keys together on whatever has focus, then releases them.
    pub(super) async fn press(&self, keys: &[Key]) {
        let mut actions = KeyActions::new("keyboard".to_owned());
        for &key in keys {
            actions = actions.then(KeyAction::Down { value: key.into() });
        }
        for &key in keys.iter().rev() {
            actions = actions.then(KeyAction::Up { value: key.into() });
        }
        let pressed = self.client().perform_actions(actions).await;
        pressed.expect("key presses");
    }

    /// Types into whatever has focus.
    pub(super) async fn type_keys(&self, text: &str) {
        let focused = self.client().active_element().await.expect("focus");
        focused.send_keys(text).await.expect("typing");
    }

    pub(super) async fn fill(&self, css: &str, text: &str) {
        let field = self.wait_for(css).await;
        field.clear().await.expect("cleared");
        field.send_keys(text).await.expect("typing");
    }

    pub(super) async fn click(&self, css: &str) {
        let target = self.wait_for(css).await;
        target
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    pub(super) async fn focused_id(&self) -> String {
        let focused = self.client().active_element().await.expect("focus");
        attribute(&focused, "id").await
    }

    pub(super) async fn wait_for(&self, css: &str) -> Element {
        let wait = self.client().wait().at_most(WAIT);
        match wait.for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(error) => panic!(
                "no `{css}` within {WAIT:?} ({error}); {}",
                self.page_state().await
            ),
        }
    }

    /// Waits until the JavaScript `condition` holds; on the inquiry page
    /// `status()` is the status field. A page still loading counts as not
    /// yet.
    pub(super) async fn wait_until(&self, what: &str, condition: &str) {
        let check = format!(
            "const status = () => document.getElementById('inquiry-status');
             try {{ return Boolean({condition}); }} catch (e) {{ return false; }}"
        );
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(Value::Bool(true)) = self.client().execute(&check, vec![]).await {
                return;
            }
            if Instant::now() > deadline {
                panic!("not {what} within {WAIT:?}; {}", self.page_state().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Where the page is and what it says, for a failed wait: never the
    /// patient's words, only the page's own status and error lines.
    pub(super) async fn page_state(&self) -> String {
        let state = self
            .client()
            .execute(
                "const text = (id) => (document.getElementById(id) || {}).textContent;
                 return [location.pathname, text('status'), text('error')];",
                vec![],
            )
            .await;
        match state {
            Ok(state) => format!("page, status line, error line: {state}"),
            Err(error) => format!("the page did not answer: {error}"),
        }
    }

    pub(super) async fn element(&self, css: &str) -> Element {
        let found = self.client().find(Locator::Css(css)).await;
        found.unwrap_or_else(|error| panic!("no `{css}`: {error}"))
    }

    pub(super) async fn text_of(&self, css: &str) -> String {
        self.element(css).await.text().await.expect("element text")
    }

    pub(super) async fn texts_of(&self, css: &str) -> Vec<String> {
        let found = self.client().find_all(Locator::Css(css)).await;
        let mut texts = Vec::new();
        for element in found.expect("query") {
            texts.push(element.text().await.expect("element text"));
        }
        texts
    }

    pub(super) async fn value_of(&self, css: &str) -> String {
        let value = self.element(css).await.prop("value").await;
        value.expect("value").unwrap_or_default()
    }

    pub(super) async fn is_shown(&self, css: &str) -> bool {
        let shown = self.element(css).await.is_displayed().await;
        shown.expect("visibility")
    }

    pub(super) async fn count(&self, css: &str) -> usize {
        let found = self.client().find_all(Locator::Css(css)).await;
        found.expect("query").len()
    }

    pub(super) async fn script(&self, source: &str) -> Value {
        let result = self.client().execute(source, vec![]).await;
        result.expect("script runs")
    }

    pub(super) async fn console_errors(&self) -> Vec<String> {
        self.chromium.console_errors().await
    }
}

pub(super) async fn text_in(parent: &Element, css: &str) -> String {
    let found = parent.find(Locator::Css(css)).await;
    let found = found.unwrap_or_else(|error| panic!("no `{css}` inside: {error}"));
    found.text().await.expect("text")
}

/// The attribute's value, or "" when the element does not have it.
pub(super) async fn attribute(element: &Element, name: &str) -> String {
    let value = element.attr(name).await.expect("attribute");
    value.unwrap_or_default()
}
