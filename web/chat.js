// Careline patient chat widget. Plain script, no dependencies; see docs/API.md.
// Every piece of server or patient text goes into the page through textContent
// or createElement, never innerHTML, so a reply can never inject markup.
(function () {
  'use strict';

  // Relative URLs, so the widget keeps working if the portal mounts Careline under a path prefix.
  const CHAT_URL = 'api/chat';
  const CONVERSATION_URL = 'api/conversations/';
  const MY_CONVERSATIONS_URL = 'api/my/conversations';
  const STORAGE_KEY = 'careline.conversation';
  const PORTAL_KEY = 'careline.portal_token';
  const POLL_MS = 5000;
  const MAX_CHARS = 5000;
  const TIMEOUT_MS = 60000;
  const PERSON_TEXT = "I'd like to talk to a person";
  const NETWORK_ERROR = 'Careline could not be reached. Check your connection and try again.';
  const SERVER_ERROR = 'Careline is having trouble right now. Please try again in a moment.';
  const PORTAL_EXPIRED = 'Your portal sign-in has expired. Reload the portal page to sign in again.';
  const PORTAL_TOKEN_ERRORS = ['portal_token_expired', 'portal_token_invalid', 'portal_sign_in_disabled'];

  const $ = (id) => document.getElementById(id);
  const ui = {
    transcript: $('transcript'), status: $('status'), error: $('error'), form: $('composer'),
    message: $('message'), counter: $('counter'), send: $('send'),
    person: $('talk-to-person'), reset: $('new-conversation'),
    mine: $('my-conversations'), panel: $('conversation-list-panel'),
    panelHeading: $('conversation-list-heading'), list: $('conversation-list'),
    listStatus: $('conversation-list-status'),
  };

  const state = {
    // {conversation_id, conversation_token} once the server has started one; the token is
    // null for a conversation reopened from "Your conversations" (the portal token opens it).
    conversation: null,
    portalToken: null, // the portal's signed patient token (a JWT), when the portal sent one
    pending: false,
    // Watching for care-team replies: the highest transcript seq seen, and the poll timer.
    lastSeq: 0,
    watching: false,
    pollTimer: null,
    // Bumped by "New conversation": replies to requests made before it belong to
    // a conversation the patient has left, so they are ignored.
    generation: 0,
  };

  // ---------- small DOM helpers ----------
  // Children are nodes or strings; append() turns strings into text nodes, never into markup.
  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.append(...children.filter((c) => c != null));
    return node;
  }

  const hidden = (text) => el('span', 'visually-hidden', text);

  function prefersReducedMotion() {
    return window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  }

  // Scrolls the log to the end, or only to the top of a message too tall to fit, so a long
  // reply is read from its start. Scrolls only the log: never the portal page around it.
  function scrollToMessage(node) {
    const t = ui.transcript;
    const top = Math.min(node.offsetTop - 8, t.scrollHeight - t.clientHeight);
    t.scrollTo({ top, behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
  }

  // ---------- reply formatting (text only) ----------
  // Turns bare http(s) URLs into links; everything else stays a text node.
  function linkify(text) {
    const frag = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(/\bhttps?:\/\/[^\s<>"']+/gi)) {
      // Sentence punctuation right after a URL is not part of it.
      const url = match[0].replace(/[.,;:!?)\]]+$/, '');
      frag.append(text.slice(last, match.index));
      const a = el('a', null, url, hidden(' (opens in a new tab)'));
      if (/^https?:\/\//i.test(url)) a.href = url;
      // The widget usually lives in a small portal panel; open links beside it, not inside it.
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      frag.append(a);
      last = match.index + url.length;
    }
    frag.append(text.slice(last));
    return frag;
  }

  // Blank lines separate paragraphs; "- " lines become <ul>, "1. " lines <ol>.
  function richText(text) {
    const frag = document.createDocumentFragment();
    for (const block of String(text || '').split(/\n[ \t]*\n/)) {
      let list = null;
      let para = null;
      for (const raw of block.split('\n')) {
        const line = raw.trim();
        if (!line) continue;
        const bullet = /^- +(.*)$/.exec(line);
        const numbered = /^(\d+)\. +(.*)$/.exec(line);
        if (bullet || numbered) {
          const tag = bullet ? 'UL' : 'OL';
          if (!list || list.tagName !== tag) {
            list = el(tag);
            if (numbered && numbered[1] !== '1') list.start = Number(numbered[1]);
            frag.append(list);
          }
          list.append(el('li', null, linkify(bullet ? bullet[1] : numbered[2])));
          para = null;
        } else {
          if (para) para.append(el('br'));
          else frag.append((para = el('p')));
          para.append(linkify(line));
          list = null;
        }
      }
    }
    return frag;
  }

  // ---------- transcript rendering ----------
  function addToTranscript(node) {
    ui.transcript.append(node);
    scrollToMessage(node);
    return node;
  }

  function renderPatient(text) {
    return addToTranscript(el('article', 'msg patient', hidden('You said: '), el('p', 'msg-text', text)));
  }

  // author: who on the care team wrote it, e.g. "Dana (Billing)".
  function renderStaff(text, author) {
    const speaker = typeof author === 'string' && author.trim() ? author.trim() : 'Care team';
    return addToTranscript(el('article', 'msg staff',
      el('p', 'speaker', speaker, hidden(' said:')), el('div', 'msg-body', richText(text))));
  }

  function renderStored(m) {
    if (m.role === 'patient') renderPatient(m.text || '');
    else if (m.role === 'staff') renderStaff(m.text || '', m.author);
    else renderAssistant(m);
  }

  function urgentBox(text, urgent) {
    const box = el('div', 'urgent-alert', el('h2', 'urgent-heading', 'This may be an emergency'));
    box.setAttribute('role', 'alert');
    box.tabIndex = -1; // focusable by script only, so screen readers land on it
    const guidance = urgent && typeof urgent.guidance === 'string' ? urgent.guidance.trim() : '';
    if (guidance) box.append(el('div', 'guidance', richText(guidance)));
    // The reply opens with the guidance; saying it twice would only slow the patient down.
    let rest = typeof text === 'string' ? text.trim() : '';
    if (guidance && rest.startsWith(guidance)) rest = rest.slice(guidance.length).trim();
    if (rest) box.append(richText(rest));
    return box;
  }

  function suggestionGroup(suggestions) {
    const group = el('div', 'suggestions');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Suggested replies');
    for (const s of suggestions) {
      if (!s || typeof s.label !== 'string') continue;
      const b = el('button', 'suggestion', s.label);
      b.type = 'button';
      b.dataset.choice = String(s.choice);
      b.addEventListener('click', () => send({ message: s.label, choice: s.choice, origin: b }));
      group.append(b);
    }
    return group;
  }

  // Renders a live reply (reply, urgent, inquiry_id) or a stored transcript entry (text).
  function renderAssistant(msg) {
    const kind = String(msg.kind || 'answer').replace(/[^a-z_]/gi, '');
    const text = typeof msg.reply === 'string' ? msg.reply : (msg.text || '');
    const body = el('div', 'msg-body', kind === 'urgent' ? urgentBox(text, msg.urgent) : richText(text));
    for (const src of kind === 'answer' && Array.isArray(msg.sources) ? msg.sources : []) {
      if (src && src.title) body.append(el('p', 'source', 'Source: ' + src.title));
    }
    if (kind === 'routed' && typeof msg.inquiry_id === 'string') {
      body.append(el('p', 'reference', 'Reference: ' + msg.inquiry_id.slice(0, 8)));
    }
    if (Array.isArray(msg.suggestions) && msg.suggestions.length) body.append(suggestionGroup(msg.suggestions));
    const art = el('article', 'msg assistant kind-' + kind, hidden('Careline said: '), body);
    art.dataset.kind = kind;
    return addToTranscript(art);
  }

  // Suggestions answer one particular question; once the conversation moves on they are spent.
  function spendSuggestions(except) {
    for (const group of ui.transcript.querySelectorAll('.suggestions')) {
      if (except && except.contains(group)) continue;
      group.dataset.spent = 'true';
      for (const b of group.querySelectorAll('button')) b.disabled = true;
    }
  }

  // ---------- status, errors, busy state ----------
  function showError(text) { ui.error.textContent = text; }
  function clearError() { ui.error.textContent = ''; }

  function setPending(pending, statusText) {
    state.pending = pending;
    ui.send.disabled = pending;
    ui.person.disabled = pending;
    ui.status.textContent = pending ? statusText : '';
    // While waiting, no suggestion may be clicked; afterwards only unspent ones come back.
    for (const group of ui.transcript.querySelectorAll('.suggestions')) {
      if (group.dataset.spent === 'true') continue;
      for (const b of group.querySelectorAll('button')) b.disabled = pending;
    }
  }

  function updateCounter() {
    ui.counter.textContent = ui.message.value.length + ' / ' + MAX_CHARS;
  }

  // ---------- conversation storage ----------
  // sessionStorage can throw (storage disabled, sandboxed iframe); the widget then just forgets on reload.
  function loadConversation() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY));
      if (saved && typeof saved.conversation_id === 'string'
        && (typeof saved.conversation_token === 'string' || saved.conversation_token === null)) return saved;
    } catch (e) { /* nothing usable stored */ }
    return null;
  }

  function saveConversation(id, token) {
    state.conversation = { conversation_id: id, conversation_token: typeof token === 'string' ? token : null };
    try { sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state.conversation)); } catch (e) { /* memory only */ }
  }

  function forgetConversation() {
    state.conversation = null;
    try { sessionStorage.removeItem(STORAGE_KEY); } catch (e) { /* nothing to remove */ }
  }

  // ---------- portal sign-in ----------
  // The portal hands over its token in the fragment (#portal_token=…), which no server sees.
  // It is taken out of the address bar at once and kept for this tab only.
  function readPortalToken() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    const fresh = params.get('portal_token');
    let kept = null;
    try { kept = sessionStorage.getItem(PORTAL_KEY); } catch (e) { /* memory only */ }
    if (fresh) {
      params.delete('portal_token');
      const rest = params.toString();
      history.replaceState(history.state, '', location.pathname + location.search + (rest ? '#' + rest : ''));
      // Another patient signed in on this tab: the conversation kept here is not theirs to see.
      if (kept && tokenSubject(kept) !== tokenSubject(fresh)) leaveConversation();
      try { sessionStorage.setItem(PORTAL_KEY, fresh); } catch (e) { /* memory only */ }
    }
    state.portalToken = fresh || kept || null;
    ui.mine.hidden = !state.portalToken;
  }

  // The token's `sub`, read without checking the signature: only to tell two patients apart
  // on this device; the server alone decides what a token may do.
  function tokenSubject(token) {
    try {
      const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(payload)).sub || null;
    } catch (e) {
      return null;
    }
  }

  function dropPortalToken() {
    state.portalToken = null;
    try { sessionStorage.removeItem(PORTAL_KEY); } catch (e) { /* nothing to remove */ }
    ui.mine.hidden = true;
    closeConversationList(false);
  }

  // ---------- HTTP ----------
  const apiError = (status, code, message) => Object.assign(new Error(message), { status, code });

  // Resolves with the JSON body of a 2xx response; otherwise rejects with an error whose
  // message is safe to show: the server's own sentence for 4xx, a generic one for the rest.
  // The portal token, when there is one, goes with every call. A refused one is dropped: the
  // patient carries on as an anonymous visitor and is told how to sign in again.
  async function requestJson(url, options = {}) {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
    const headers = Object.assign({ Accept: 'application/json' }, options.headers);
    if (state.portalToken) headers['X-Portal-Token'] = state.portalToken;
    try {
      const init = Object.assign({ signal: ctrl.signal, credentials: 'same-origin' }, options, { headers });
      const res = await fetch(url, init)
        .catch(() => { throw apiError(0, 'network', NETWORK_ERROR); }); // offline, DNS, or our timeout
      let data = null;
      try { data = await res.json(); } catch (e) { /* e.g. a proxy's HTML error page */ }
      if (res.ok && data) return data;
      const err = (data && data.error) || {};
      const readable = res.status >= 400 && res.status < 500 && typeof err.message === 'string';
      if (res.status === 401 && PORTAL_TOKEN_ERRORS.includes(err.code)) {
        dropPortalToken();
        if (err.code !== 'portal_sign_in_disabled') throw apiError(res.status, err.code, PORTAL_EXPIRED);
      }
      throw apiError(res.status, err.code, readable ? err.message : SERVER_ERROR);
    } finally {
      clearTimeout(timer);
    }
  }

  function postChat(body) {
    return requestJson(CHAT_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  // A reopened conversation has no conversation token here: the portal token alone opens it.
  function getTranscript(conversation, afterSeq) {
    const query = afterSeq == null ? '' : '?after=' + afterSeq;
    const headers = conversation.conversation_token
      ? { Authorization: 'Bearer ' + conversation.conversation_token } : {};
    return requestJson(CONVERSATION_URL + encodeURIComponent(conversation.conversation_id) + query, { headers });
  }

  // ---------- sending ----------
  // message: text to send and show; choice: suggestion value (only meaningful inside a
  // conversation); fromTextarea: clear the box on success; origin: the clicked suggestion.
  async function send({ message, choice, fromTextarea, origin }) {
    if (state.pending) return;
    clearError();
    const gen = state.generation;
    const body = { message };
    const conversation = state.conversation;
    if (conversation) {
      body.conversation_id = conversation.conversation_id;
      if (conversation.conversation_token) body.conversation_token = conversation.conversation_token;
      if (choice != null) body.choice = choice;
    }
    const bubble = renderPatient(message);
    setPending(true, 'Careline is typing…');
    ui.message.focus(); // the send button or suggestion may just have been disabled under the focus
    try {
      const data = await postChat(body);
      if (gen !== state.generation) return;
      // A conversation continued with the portal token alone may get no conversation token back.
      const known = conversation && conversation.conversation_id === data.conversation_id
        ? conversation.conversation_token : null;
      saveConversation(data.conversation_id, data.conversation_token || known);
      // Clear only what was sent: anything typed meanwhile stays.
      if (fromTextarea && ui.message.value.trim() === message) {
        ui.message.value = '';
        updateCounter();
      }
      spendSuggestions();
      if (origin) origin.classList.add('chosen');
      const art = renderAssistant(data);
      const alertBox = art.querySelector('.urgent-alert');
      if (alertBox) alertBox.focus({ preventScroll: true });
      if (data.kind === 'routed' || data.kind === 'urgent') startWatching();
    } catch (err) {
      if (gen !== state.generation) return;
      // Nothing was stored, so the transcript must not pretend it was; the text is still in the box.
      bubble.remove();
      // An expired or unknown conversation cannot be continued; the next send starts a new one.
      const gone = err.code === 'conversation_not_found';
      if (gone) forgetConversation();
      if (!('status' in err)) showError(SERVER_ERROR); // a bug of ours: no internals on screen
      else showError(gone ? err.message + ' Press Send to start a new conversation.' : err.message);
    } finally {
      if (gen === state.generation) setPending(false);
    }
  }

  // ---------- restoring after a reload, or reopening from "Your conversations" ----------
  async function restore() {
    const saved = loadConversation();
    if (!saved) return;
    // Without either token nothing can open it (the portal sign-in has since been dropped).
    if (!saved.conversation_token && !state.portalToken) { forgetConversation(); return; }
    state.conversation = saved;
    await showTranscript({ loading: 'Loading your conversation…', quietWhenGone: true });
  }

  // Draws the whole stored transcript of state.conversation.
  async function showTranscript({ loading, quietWhenGone }) {
    const gen = state.generation;
    setPending(true, loading);
    // Busy while the history is drawn, so screen readers do not read the whole log aloud again.
    ui.transcript.setAttribute('aria-busy', 'true');
    try {
      const data = await getTranscript(state.conversation);
      if (gen !== state.generation) return false;
      const messages = data.messages || [];
      for (const m of messages) {
        renderStored(m);
        if (typeof m.seq === 'number') state.lastSeq = Math.max(state.lastSeq, m.seq);
      }
      // Only the suggestions of a reply that is still the last word can be used.
      const last = ui.transcript.lastElementChild;
      spendSuggestions(last && last.classList.contains('assistant') ? last : null);
      // A routed or urgent reply means an inquiry was queued: the care team may still answer.
      if (messages.some((m) => m.role === 'assistant' && (m.kind === 'routed' || m.kind === 'urgent'))) startWatching();
      return true;
    } catch (err) {
      if (gen !== state.generation) return false;
      const gone = err.status === 404;
      if (gone) forgetConversation(); // expired or unknown: start fresh
      if (!(gone && quietWhenGone)) {
        const readable = 'status' in err ? err.message : SERVER_ERROR;
        showError(gone || PORTAL_TOKEN_ERRORS.includes(err.code)
          ? readable : 'Your earlier messages could not be loaded. ' + readable);
      }
      return false;
    } finally {
      ui.transcript.setAttribute('aria-busy', 'false');
      if (gen === state.generation) setPending(false);
    }
  }

  // ---------- care-team replies ----------
  // Patient and assistant messages are drawn from the POST api/chat reply (or the full
  // transcript on restore) and never come from a poll; staff replies come only from GET
  // transcripts. So a poll asks for everything after the highest seq seen, draws just its
  // staff messages, and moves lastSeq past all it got: our own new messages (which the chat
  // reply carries without seq) are skipped once, and nothing is ever drawn twice.
  // Limitation: a message the patient sends from another device meanwhile is not drawn here
  // until the page is reloaded; drawing it would need the chat reply to carry its seq.
  function startWatching() {
    if (state.watching) return;
    state.watching = true;
    schedulePoll();
  }

  function stopWatching() {
    state.watching = false;
    clearTimeout(state.pollTimer);
  }

  // Polls only while the page is visible; visibilitychange resumes it.
  function schedulePoll() {
    clearTimeout(state.pollTimer);
    if (state.watching && !document.hidden) state.pollTimer = setTimeout(poll, POLL_MS);
  }

  async function poll() {
    const conversation = state.conversation;
    if (!state.watching || !conversation) return;
    if (state.pending) { schedulePoll(); return; } // a send is on its way; ask after it
    const gen = state.generation;
    try {
      const data = await getTranscript(conversation, state.lastSeq);
      if (gen !== state.generation) return;
      for (const m of data.messages || []) {
        if (typeof m.seq !== 'number' || m.seq <= state.lastSeq) continue;
        state.lastSeq = m.seq;
        if (m.role === 'staff') renderStaff(m.text || '', m.author); // the log announces it
      }
    } catch (err) {
      if (gen !== state.generation) return;
      if (PORTAL_TOKEN_ERRORS.includes(err.code)) showError(err.message);
      // Gone, or nothing left to open it with: stop. Network trouble: just try again later.
      if (err.status === 404 || (err.status === 401 && !conversation.conversation_token)) {
        stopWatching();
        return;
      }
    }
    schedulePoll();
  }

  document.addEventListener('visibilitychange', () => {
    if (document.hidden) clearTimeout(state.pollTimer);
    else if (state.watching) poll();
  });

  // ---------- "Your conversations" (portal sign-in only) ----------
  const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

  function readableDate(iso) {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? '' : dateFormat.format(new Date(t));
  }

  function conversationEntry(c) {
    const current = state.conversation && state.conversation.conversation_id === c.conversation_id;
    const open = Number(c.open_inquiries) || 0;
    const details = [];
    if (c.updated_at) details.push('Last message ' + readableDate(c.updated_at));
    if (open) details.push(open === 1 ? '1 open request to the care team' : open + ' open requests to the care team');
    if (current) details.push('open now');

    const b = el('button', 'conversation-entry',
      el('span', 'conversation-date', 'Started ' + readableDate(c.started_at)),
      details.length ? el('span', 'conversation-meta', details.join(' · ')) : null);
    b.type = 'button';
    b.dataset.conversationId = c.conversation_id;
    if (current) b.setAttribute('aria-current', 'true');
    b.addEventListener('click', () => openConversation(c.conversation_id));
    return el('li', null, b);
  }

  async function openConversationList() {
    ui.panel.hidden = false;
    ui.mine.setAttribute('aria-expanded', 'true');
    ui.list.textContent = '';
    ui.listStatus.textContent = 'Loading…';
    ui.panelHeading.focus();
    clearError();
    try {
      const data = await requestJson(MY_CONVERSATIONS_URL);
      const conversations = Array.isArray(data.conversations) ? data.conversations : [];
      ui.list.append(...conversations.map(conversationEntry));
      ui.listStatus.textContent = conversations.length ? '' : 'You have no earlier conversations.';
    } catch (err) {
      ui.listStatus.textContent = '';
      showError('status' in err ? err.message : SERVER_ERROR);
      if (!state.portalToken) ui.message.focus(); // the list closed with the token
    }
  }

  function closeConversationList(returnFocus) {
    if (ui.panel.hidden) return;
    ui.panel.hidden = true;
    ui.mine.setAttribute('aria-expanded', 'false');
    if (returnFocus) ui.mine.focus();
  }

  // Starts afresh with another of the patient's conversations, opened with the portal token.
  async function openConversation(id) {
    const known = state.conversation && state.conversation.conversation_id === id
      ? state.conversation.conversation_token : null;
    closeConversationList(false);
    leaveConversation();
    saveConversation(id, known);
    await showTranscript({ loading: 'Opening your conversation…', quietWhenGone: false });
    ui.transcript.focus({ preventScroll: true }); // read from here; Tab goes on to the message box
  }

  // Whatever is on its way for the conversation on screen is ignored from now on.
  function leaveConversation() {
    state.generation += 1;
    stopWatching();
    state.lastSeq = 0;
    forgetConversation();
    ui.transcript.textContent = '';
    clearError();
    setPending(false);
  }

  // ---------- wiring ----------
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (state.pending) return;
    const text = ui.message.value.trim();
    if (text) send({ message: text, fromTextarea: true });
    else showError('Please type a message first.');
  });

  ui.message.addEventListener('keydown', (event) => {
    // isComposing: Enter also confirms IME input (e.g. Japanese) and must not send then.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    if (!state.pending) ui.form.requestSubmit();
  });

  ui.message.addEventListener('input', updateCounter);

  ui.person.addEventListener('click', () => {
    // Without a conversation there are no suggestions to choose from, so send plain text.
    send(state.conversation ? { message: PERSON_TEXT, choice: 'person' } : { message: PERSON_TEXT });
  });

  ui.reset.addEventListener('click', () => {
    leaveConversation();
    closeConversationList(false);
    // The textarea is left alone: a half-written message is never thrown away.
    ui.message.focus();
  });

  ui.mine.addEventListener('click', () => {
    if (ui.panel.hidden) openConversationList();
    else closeConversationList(true);
  });

  ui.panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeConversationList(true);
  });

  // The portal may also hand over a fresh token to a page that is already open.
  window.addEventListener('hashchange', () => {
    if (location.hash.includes('portal_token=')) readPortalToken();
  });

  readPortalToken();
  updateCounter();
  restore();
})();
