// Careline staff console: what every page shares. Plain script, no dependencies;
// the contract is "Staff API" in docs/API.md. Loaded before each page's own script,
// it exposes one global, Staff.
//
// Server and staff text reaches the page only through textContent and
// createElement, never innerHTML. Nothing a response holds is written to the console.
(function () {
  'use strict';

  // Relative to /staff/<page>.html, so a path prefix in front of Careline keeps working.
  const API = '../api/staff/';
  const CSRF_KEY = 'careline.staff.csrf';
  const FLASH_KEY = 'careline.staff.flash';
  const TIMEOUT_MS = 30000;
  const NETWORK_ERROR = 'Careline could not be reached. Check your connection and try again.';
  const SERVER_ERROR = 'Careline is having trouble right now. Please try again in a moment.';

  // Where each stage of a session is served; `next` in responses names the stage.
  const STAGE_PAGES = { enrol: 'enrol.html', change_password: 'password.html', ready: 'queue.html' };

  // Where the server sends a session that may not be here yet.
  const REDIRECTS = {
    not_signed_in: 'index.html',
    enrolment_required: 'enrol.html',
    password_change_required: 'password.html',
  };

  const $ = (id) => document.getElementById(id);

  // Children are nodes or strings; append() turns strings into text nodes, never markup.
  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.append(...children.filter((c) => c != null && c !== false));
    return node;
  }

  const hiddenText = (text) => el('span', 'visually-hidden', text);

  function button(id, className, ...label) {
    const b = el('button', className, ...label);
    b.type = 'button';
    if (id) b.id = id;
    return b;
  }

  // ---------- storage (sessionStorage may throw: disabled or sandboxed) ----------
  let csrfToken = null;

  function store(key, value) {
    try {
      if (value == null) sessionStorage.removeItem(key);
      else sessionStorage.setItem(key, value);
    } catch (e) { /* memory only */ }
  }

  function stored(key) {
    try { return sessionStorage.getItem(key); } catch (e) { return null; }
  }

  function setCsrf(token) {
    csrfToken = typeof token === 'string' ? token : null;
    store(CSRF_KEY, csrfToken);
  }

  // A one-line message for the next page, e.g. "Your password was changed."
  const setFlash = (text) => store(FLASH_KEY, text);

  function takeFlash() {
    const text = stored(FLASH_KEY);
    store(FLASH_KEY, null);
    return text;
  }

  // ---------- navigation ----------
  function currentPage() {
    const file = location.pathname.split('/').pop();
    return file || 'index.html';
  }

  // Forced moves replace the history entry, so Back does not land on a page that
  // would only send the person away again.
  function redirect(page) {
    if (page !== currentPage()) location.replace(page);
  }

  function goNext(next) {
    location.assign(STAGE_PAGES[next] || 'queue.html');
  }

  // ---------- HTTP ----------
  const apiError = (status, code, message, extra) =>
    Object.assign(new Error(message), { status, code }, extra);

  // Resolves with the JSON body (or null for 204); rejects with an error whose message
  // is safe to show: the server's sentence for 4xx, a generic one otherwise. A session
  // that must be elsewhere (signed out, not enrolled, temporary password) is sent there,
  // and the error is marked `redirected` so pages show nothing for it.
  async function api(path, { method = 'GET', body, stayOnSignOut = false } = {}) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && path !== 'sign-in') headers['X-CSRF-Token'] = csrfToken || stored(CSRF_KEY) || '';

    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
    let res;
    try {
      res = await fetch(API + path, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: ctrl.signal,
      });
    } catch (e) {
      throw apiError(0, 'network', NETWORK_ERROR); // offline, DNS, or our timeout
    } finally {
      clearTimeout(timer);
    }

    if (res.status === 204) return null;
    let data = null;
    try { data = await res.json(); } catch (e) { /* e.g. a proxy's HTML error page */ }
    if (res.ok && data) return data;

    const err = (data && data.error) || {};
    const readable = res.status >= 400 && res.status < 500 && typeof err.message === 'string';
    const error = apiError(res.status, err.code, readable ? err.message : SERVER_ERROR, {
      retryAfter: Number(res.headers.get('Retry-After')) || null,
    });

    const target = REDIRECTS[err.code];
    if (target && !(stayOnSignOut && err.code === 'not_signed_in')) {
      if (err.code === 'not_signed_in') {
        setCsrf(null);
        setFlash('Please sign in to continue.');
      }
      if (target !== currentPage()) {
        error.redirected = true;
        redirect(target);
      }
    }
    throw error;
  }

  // The session's stage, CSRF token and account; every page but sign-in starts here.
  async function loadSession() {
    const session = await api('session');
    setCsrf(session.csrf_token);
    return session;
  }

  // ---------- status and errors ----------
  // #error (role="alert") and #status (role="status") exist on every page.
  function clearError() { $('error').textContent = ''; }

  // `focus` moves the keyboard to the error, for errors that answer what the person just did;
  // background refreshes pass false so they never pull focus away from someone's typing.
  function showError(error, { focus = true } = {}) {
    if (error && error.redirected) return;
    const box = $('error');
    let text = SERVER_ERROR; // a bug of ours (no status): no internals on screen
    if (typeof error === 'string') text = error;
    else if (error && 'status' in error) text = error.message;
    if (error && error.code === 'too_many_attempts' && error.retryAfter) {
      text += ' Try again in ' + Math.ceil(error.retryAfter / 60) + ' min.';
    }
    box.textContent = text;
    if (focus) box.focus();
  }

  // Clearing first makes a screen reader say the same sentence again (e.g. a second Refresh).
  function announce(text) {
    const status = $('status');
    if (status.textContent !== text) { status.textContent = text; return; }
    status.textContent = '';
    setTimeout(() => { status.textContent = text; }, 150);
  }

  // Disables the button while `work` runs, so a double click sends once.
  async function whileBusy(control, work) {
    if (control) control.disabled = true;
    try { return await work(); } finally { if (control) control.disabled = false; }
  }

  // ---------- times ----------
  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
    weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
  });

  function parseTime(iso) {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? null : new Date(t);
  }

  // "14:05" today, "Thu 3 Dec, 14:05" on another day.
  function formatWhen(iso) {
    const date = parseTime(iso);
    if (!date) return '—';
    const today = new Date().toDateString() === date.toDateString();
    return (today ? timeFormat : dateTimeFormat).format(date);
  }

  // "12 min", "3 h", "2 d": how long ago `iso` was.
  function formatAge(iso, now = Date.now()) {
    const date = parseTime(iso);
    if (!date) return '—';
    const minutes = Math.max(0, Math.floor((now - date.getTime()) / 60000));
    if (minutes < 60) return minutes + ' min';
    const hours = Math.floor(minutes / 60);
    if (hours < 24) return hours + ' h';
    return Math.floor(hours / 24) + ' d';
  }

  function timeElement(iso, text) {
    const node = el('time', null, text == null ? formatWhen(iso) : text);
    if (parseTime(iso)) {
      node.dateTime = iso;
      node.title = dateTimeFormat.format(parseTime(iso));
    }
    return node;
  }

  // ---------- shared vocabulary ----------
  const STATUS_LABELS = { open: 'Open', claimed: 'Claimed', resolved: 'Resolved' };
  const statusLabel = (status) => STATUS_LABELS[status] || String(status || '');

  // Urgent is said in words and marked by shape and colour together, never colour alone.
  function priorityBadge(priority) {
    return priority === 'urgent'
      ? el('span', 'badge badge-urgent', el('span', 'badge-mark', '!'), ' Urgent')
      : el('span', 'badge badge-normal', 'Normal');
  }

  // A claim whose time has run out no longer holds the inquiry (docs/API.md, claims lapse).
  function liveClaim(inquiry) {
    if (inquiry.status !== 'claimed' || !inquiry.claimed_by) return null;
    const expires = parseTime(inquiry.claim_expires_at);
    return expires && expires.getTime() <= Date.now() ? null : inquiry.claimed_by;
  }

  // ---------- the page header of signed-in pages ----------
  // Fills #account-name, shows the admin link to admins, and wires #sign-out.
  function initHeader(account) {
    const name = $('account-name');
    if (name) name.textContent = account.name || account.email || '';
    const adminLink = $('nav-admin');
    if (adminLink) adminLink.hidden = account.role !== 'admin';

    const signOut = $('sign-out');
    if (signOut) signOut.addEventListener('click', () => signOutNow(signOut));
  }

  async function signOutNow(control) {
    clearError();
    try {
      await whileBusy(control, () => api('sign-out', { method: 'POST', body: {}, stayOnSignOut: true }));
    } catch (err) {
      // Already signed out is what the person wanted; anything else is worth saying.
      if (err.code !== 'not_signed_in') { showError(err); return; }
    }
    setCsrf(null);
    setFlash('You have signed out.');
    location.assign('index.html');
  }

  // Shows a message the previous page left (e.g. after a password change), and returns it
  // for pages that say something of their own as they load.
  function showFlash() {
    const text = takeFlash();
    if (text) announce(text);
    return text;
  }

  window.Staff = {
    $, el, button, hiddenText,
    api, loadSession, setCsrf, goNext, redirect, setFlash, takeFlash, showFlash,
    clearError, showError, announce, whileBusy,
    formatWhen, formatAge, timeElement, parseTime,
    statusLabel, priorityBadge, liveClaim, initHeader,
  };
})();
