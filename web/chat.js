// Careline patient chat widget. Plain script, no dependencies; see docs/API.md.
// Every piece of server or patient text goes into the page through textContent
// or createElement, never innerHTML, so a reply can never inject markup.
(function () {
  'use strict';

  // Relative URLs, so the widget keeps working if the portal mounts Careline under a path prefix.
  const CHAT_URL = 'api/chat';
  const CONVERSATION_URL = 'api/conversations/';
  const STORAGE_KEY = 'careline.conversation';
  const MAX_CHARS = 5000;
  const TIMEOUT_MS = 60000;
  const PERSON_TEXT = "I'd like to talk to a person";
  const NETWORK_ERROR = 'Careline could not be reached. Check your connection and try again.';
  const SERVER_ERROR = 'Careline is having trouble right now. Please try again in a moment.';

  const $ = (id) => document.getElementById(id);
  const ui = {
    transcript: $('transcript'), status: $('status'), error: $('error'), form: $('composer'),
    message: $('message'), counter: $('counter'), send: $('send'),
    person: $('talk-to-person'), reset: $('new-conversation'),
  };

  const state = {
    conversation: null, // {conversation_id, conversation_token} once the server has started one
    pending: false,
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

  function renderStaff(text) {
    return addToTranscript(el('article', 'msg staff',
      el('p', 'speaker', 'Care team', hidden(' said:')), el('div', 'msg-body', richText(text))));
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
      if (saved && typeof saved.conversation_id === 'string' && typeof saved.conversation_token === 'string') return saved;
    } catch (e) { /* nothing usable stored */ }
    return null;
  }

  function saveConversation(id, token) {
    state.conversation = { conversation_id: id, conversation_token: token };
    try { sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state.conversation)); } catch (e) { /* memory only */ }
  }

  function forgetConversation() {
    state.conversation = null;
    try { sessionStorage.removeItem(STORAGE_KEY); } catch (e) { /* nothing to remove */ }
  }

  // ---------- HTTP ----------
  const apiError = (status, code, message) => Object.assign(new Error(message), { status, code });

  // Resolves with the JSON body of a 2xx response; otherwise rejects with an error whose
  // message is safe to show: the server's own sentence for 4xx, a generic one for the rest.
  async function requestJson(url, options) {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
    try {
      const res = await fetch(url, Object.assign({ signal: ctrl.signal, credentials: 'same-origin' }, options))
        .catch(() => { throw apiError(0, 'network', NETWORK_ERROR); }); // offline, DNS, or our timeout
      let data = null;
      try { data = await res.json(); } catch (e) { /* e.g. a proxy's HTML error page */ }
      if (res.ok && data) return data;
      const err = (data && data.error) || {};
      const readable = res.status >= 400 && res.status < 500 && typeof err.message === 'string';
      throw apiError(res.status, err.code, readable ? err.message : SERVER_ERROR);
    } finally {
      clearTimeout(timer);
    }
  }

  function postChat(body) {
    return requestJson(CHAT_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
  }

  // ---------- sending ----------
  // message: text to send and show; choice: suggestion value (only meaningful inside a
  // conversation); fromTextarea: clear the box on success; origin: the clicked suggestion.
  async function send({ message, choice, fromTextarea, origin }) {
    if (state.pending) return;
    clearError();
    const gen = state.generation;
    const body = { message };
    if (state.conversation) {
      body.conversation_id = state.conversation.conversation_id;
      body.conversation_token = state.conversation.conversation_token;
      if (choice != null) body.choice = choice;
    }
    const bubble = renderPatient(message);
    setPending(true, 'Careline is typing…');
    ui.message.focus(); // the send button or suggestion may just have been disabled under the focus
    try {
      const data = await postChat(body);
      if (gen !== state.generation) return;
      saveConversation(data.conversation_id, data.conversation_token);
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

  // ---------- restoring after a reload ----------
  async function restore() {
    const saved = loadConversation();
    if (!saved) return;
    state.conversation = saved;
    const gen = state.generation;
    setPending(true, 'Loading your conversation…');
    // Busy while the history is drawn, so screen readers do not read the whole log aloud again.
    ui.transcript.setAttribute('aria-busy', 'true');
    try {
      const data = await requestJson(CONVERSATION_URL + encodeURIComponent(saved.conversation_id), {
        headers: { Authorization: 'Bearer ' + saved.conversation_token, Accept: 'application/json' },
      });
      if (gen !== state.generation) return;
      for (const m of data.messages || []) {
        if (m.role === 'patient') renderPatient(m.text || '');
        else if (m.role === 'staff') renderStaff(m.text || '');
        else renderAssistant(m);
      }
      // Only the suggestions of a reply that is still the last word can be used.
      const last = ui.transcript.lastElementChild;
      spendSuggestions(last && last.classList.contains('assistant') ? last : null);
    } catch (err) {
      if (gen !== state.generation) return;
      if (err.status === 404) forgetConversation(); // expired or unknown: start fresh
      else showError('Your earlier messages could not be loaded. ' + err.message);
    } finally {
      ui.transcript.setAttribute('aria-busy', 'false');
      if (gen === state.generation) setPending(false);
    }
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
    state.generation += 1;
    forgetConversation();
    ui.transcript.textContent = '';
    clearError();
    setPending(false);
    // The textarea is left alone: a half-written message is never thrown away.
    ui.message.focus();
  });

  updateCounter();
  restore();
})();
