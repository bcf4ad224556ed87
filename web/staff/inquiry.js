// Inquiry page (inquiry.html?id=…): one inquiry, its transcript, notes and history,
// and the actions its status allows. Polls every 15 s for new patient messages.
// Element ids: #inquiry-title, #inquiry (everything below, shown once loaded),
// #inquiry-priority, #inquiry-department, #inquiry-status (text Open/Claimed/Resolved,
// data-status the raw value), #inquiry-created, #inquiry-due, #inquiry-claimed-by,
// #inquiry-first-response, #transcript (li.msg.role-patient|assistant|staff, data-seq),
// #reply-form, #canned-select, #reply-text, #reply-counter, #reply-submit,
// #claim-notice, #claim, #release, #resolve, #reopen,
// #transfer-form, #transfer-department, #transfer-reason, #transfer-submit,
// #notes (li.note), #note-form, #note-text, #note-submit, #history,
// #back-to-queue, #account-name, #sign-out, #error, #status.
(function () {
  'use strict';

  const {
    $, el, api, loadSession, initHeader, clearError, showError, announce, showFlash, setFlash,
    whileBusy, formatWhen, timeElement, statusLabel, priorityBadge, liveClaim,
  } = window.Staff;

  const POLL_MS = 15000;
  const MAX_CHARS = 5000;
  const ASSISTANT_KINDS = {
    answer: 'answered from the knowledge base', clarify: 'asked which department',
    routed: 'sent to staff', urgent: 'showed emergency guidance', out_of_scope: 'out of scope',
  };
  const ACTIONS = {
    created: 'Inquiry created', claimed: 'Claimed', released: 'Released', replied: 'Replied to the patient',
    noted: 'Added an internal note', transferred: 'Transferred', resolved: 'Resolved', reopened: 'Reopened',
  };

  const id = new URLSearchParams(location.search).get('id') || '';
  const path = 'inquiries/' + encodeURIComponent(id);

  const state = {
    account: null,
    departments: [],
    inquiry: null,
    lastSeq: 0, // highest transcript seq drawn; messages only ever append
    drawn: 0, // messages drawn, for a transcript without seq
    cannedFor: null, // the department whose saved responses the picker holds
    canned: [],
    inserted: null, // {prefix, body}: the saved response last put in the reply box
    timer: null,
    gone: false,
  };

  const departmentName = (dept) => (state.departments.find((d) => d.id === dept) || { name: dept }).name;
  const authorName = (author) => (author && typeof author === 'object' ? author.name : author) || '';

  // ---------- drawing ----------
  function messageItem(m) {
    const role = ['patient', 'assistant', 'staff'].includes(m.role) ? m.role : 'assistant';
    const kind = String(m.kind || '').replace(/[^a-z_]/gi, '');
    // A staff reply's author already names the team, as the patient sees it: "Dana (Billing)".
    const who = role === 'patient' ? 'Patient'
      : role === 'staff' ? authorName(m.author) || 'Care team' : 'Careline assistant';
    const meta = el('p', 'msg-meta', el('span', 'who-said', who), ' · ', timeElement(m.at));
    if (role === 'staff') meta.append(' · reply to the patient');
    if (role === 'assistant' && kind === 'urgent') meta.append(' ', priorityBadge('urgent'));
    if (role === 'assistant' && ASSISTANT_KINDS[kind]) meta.append(' · ' + ASSISTANT_KINDS[kind]);

    const item = el('li', 'msg role-' + role + (kind ? ' kind-' + kind : ''), meta,
      el('p', 'msg-text', String(m.text || '')));
    if (typeof m.seq === 'number') item.dataset.seq = String(m.seq);
    return item;
  }

  // Appends only messages not drawn yet, so a poll never redraws what someone is reading.
  // Returns how many new patient messages arrived.
  function drawTranscript(messages, { markNew }) {
    const bySeq = messages.every((m) => typeof m.seq === 'number');
    const fresh = bySeq ? messages.filter((m) => m.seq > state.lastSeq) : messages.slice(state.drawn);
    let fromPatient = 0;
    for (const m of fresh) {
      const item = messageItem(m);
      if (markNew && m.role === 'patient') { item.classList.add('is-new'); fromPatient += 1; }
      $('transcript').append(item);
      if (bySeq) state.lastSeq = Math.max(state.lastSeq, m.seq);
    }
    state.drawn = messages.length;
    return fromPatient;
  }

  function drawNotes(notes) {
    const items = notes.map((n) => el('li', 'note',
      el('p', 'note-label', 'Internal note — not visible to the patient'),
      el('p', 'msg-meta', el('span', 'who-said', authorName(n.author)), ' · ', timeElement(n.at)),
      el('p', 'note-text', String(n.text || ''))));
    $('notes').replaceChildren(...(items.length ? items : [el('li', 'muted', 'No internal notes yet.')]));
  }

  function drawHistory(events) {
    const items = events.map((e) => el('li', null,
      el('p', null, timeElement(e.at), ' · ', authorName(e.actor) || 'Careline', ': ',
        ACTIONS[e.action] || String(e.action || '')),
      e.detail ? el('p', 'muted', String(e.detail)) : null));
    $('history').replaceChildren(...items);
  }

  function drawSummary(inquiry) {
    const claim = liveClaim(inquiry);
    const dept = departmentName(inquiry.department);
    $('inquiry-title').textContent = (inquiry.priority === 'urgent' ? 'Urgent inquiry' : 'Inquiry') + ' for ' + dept;
    document.title = 'Inquiry for ' + dept + ' – Careline staff';
    $('inquiry-priority').replaceChildren(priorityBadge(inquiry.priority));
    $('inquiry-department').textContent = dept;
    $('inquiry-status').textContent = statusLabel(inquiry.status);
    $('inquiry-status').dataset.status = inquiry.status;
    $('inquiry-created').replaceChildren(timeElement(inquiry.created_at));
    $('inquiry-due').replaceChildren(inquiry.overdue ? el('strong', 'overdue', 'Overdue') : '',
      inquiry.overdue ? ' (due ' : '', timeElement(inquiry.due_at), inquiry.overdue ? ')' : '');
    $('inquiry-claimed-by').textContent = claim
      ? claim.name + (inquiry.claim_expires_at ? ', until ' + formatWhen(inquiry.claim_expires_at) : '')
      : 'Nobody';
    $('inquiry-first-response').replaceChildren(inquiry.first_response_at
      ? timeElement(inquiry.first_response_at) : 'Not yet');
  }

  // Shows only what the status allows; someone else's live claim leaves notes (and Claim,
  // which the server refuses with already_claimed until the claim lapses).
  function drawActions(inquiry) {
    const claim = liveClaim(inquiry);
    const mine = Boolean(claim && state.account && claim.id === state.account.id);
    const resolved = inquiry.status === 'resolved';
    const free = !resolved && (!claim || mine);
    const hadFocus = document.activeElement;

    $('claim').hidden = resolved || mine || state.gone;
    $('release').hidden = !mine || state.gone;
    $('resolve').hidden = !free || state.gone;
    $('reopen').hidden = !resolved || state.gone;
    $('reply-section').hidden = !free || state.gone;
    $('transfer-section').hidden = !free || state.gone;
    $('note-form').hidden = state.gone;

    const notice = $('claim-notice');
    notice.hidden = !claim || resolved;
    notice.textContent = mine ? 'You are working on this inquiry.'
      : claim ? claim.name + ' is working on this inquiry. You can add an internal note.' : '';

    // A refresh may hide the control in use (someone else claimed it): keep the keyboard on the page.
    if (hadFocus && hadFocus !== document.body && !hadFocus.offsetParent) $('inquiry-title').focus();
  }

  function fillTransferDepartments(current) {
    const select = $('transfer-department');
    const chosen = select.value;
    const options = state.departments.filter((d) => d.id !== current).map((d) => {
      const option = el('option', null, d.name);
      option.value = d.id;
      return option;
    });
    select.replaceChildren(select.options[0], ...options);
    if (options.some((o) => o.value === chosen)) select.value = chosen;
  }

  // ---------- saved (canned) responses ----------
  async function loadCanned(dept) {
    if (state.cannedFor === dept) return;
    state.cannedFor = dept;
    const select = $('canned-select');
    try {
      const data = await api('canned?department=' + encodeURIComponent(dept));
      state.canned = Array.isArray(data.canned) ? data.canned : [];
    } catch (err) {
      state.canned = [];
      showError(err, { focus: false });
    }
    const options = state.canned.map((c) => {
      const option = el('option', null, c.title);
      option.value = c.id;
      return option;
    });
    select.replaceChildren(el('option', null, options.length ? 'None' : 'None saved for this department'), ...options);
    select.options[0].value = '';
    select.disabled = !options.length;
  }

  // Replaces the saved text it put in the box earlier while that text is untouched (so arrowing
  // through the list previews each one); anything the person typed is kept in front of it.
  function insertCanned() {
    const box = $('reply-text');
    const chosen = state.canned.find((c) => String(c.id) === $('canned-select').value);
    const untouched = state.inserted && box.value === state.inserted.prefix + state.inserted.body;
    let prefix = untouched ? state.inserted.prefix : box.value;

    if (!chosen) {
      if (untouched) box.value = prefix.trimEnd();
      state.inserted = null;
    } else {
      if (!prefix.trim()) prefix = '';
      else if (!untouched) prefix = prefix.trimEnd() + '\n\n';
      const body = String(chosen.body || '').slice(0, Math.max(0, MAX_CHARS - prefix.length));
      box.value = prefix + body;
      state.inserted = { prefix, body };
    }
    updateCounter();
  }

  function updateCounter() {
    $('reply-counter').textContent = $('reply-text').value.length + ' / ' + MAX_CHARS;
  }

  // ---------- loading ----------
  // `quiet`: a poll; it speaks only of new patient messages and never moves focus.
  async function load({ quiet = false } = {}) {
    clearTimeout(state.timer);
    try {
      const data = await api(path);
      const first = !state.inquiry;
      state.inquiry = data.inquiry;
      drawSummary(data.inquiry);
      const arrived = drawTranscript(Array.isArray(data.transcript) ? data.transcript : [], { markNew: !first });
      drawNotes(Array.isArray(data.notes) ? data.notes : []);
      drawHistory(Array.isArray(data.history) ? data.history : []);
      fillTransferDepartments(data.inquiry.department);
      drawActions(data.inquiry);
      $('inquiry').hidden = false;
      if (quiet && arrived) announce(arrived === 1 ? 'A new message from the patient.' : arrived + ' new messages from the patient.');
      loadCanned(data.inquiry.department);
    } catch (err) {
      if (err.code === 'inquiry_not_found' && state.inquiry) {
        // Transferred out of our departments, most likely, while the page was open.
        state.gone = true;
        drawActions(state.inquiry);
      }
      if (!quiet || state.gone) showError(err, { focus: !quiet });
      if (err.status === 404 || err.redirected) return;
    }
    schedule();
  }

  function schedule() {
    clearTimeout(state.timer);
    if (!document.hidden && !state.gone) state.timer = setTimeout(() => load({ quiet: true }), POLL_MS);
  }

  document.addEventListener('visibilitychange', () => {
    if (document.hidden) clearTimeout(state.timer);
    else if (state.inquiry && !state.gone) load({ quiet: true });
  });

  // ---------- actions ----------
  // Runs one action, re-reads the inquiry, says what happened and puts focus on `then`.
  async function act(control, request, done, then) {
    clearError();
    try {
      const result = await whileBusy(control, request);
      await load({ quiet: true });
      announce(typeof done === 'function' ? done(result) : done);
      const target = typeof then === 'function' ? then() : $(then);
      if (target && !target.hidden && target.offsetParent) target.focus();
      return true;
    } catch (err) {
      showError(err);
      // Someone else moved first (already_claimed, invalid_transition): show what is true now.
      if (err.status === 409 || err.status === 422) load({ quiet: true });
      return false;
    }
  }

  const post = (action, body) => () => api(path + '/' + action, { method: 'POST', body: body || {} });

  $('claim').addEventListener('click', () =>
    act($('claim'), post('claim'), 'You claimed this inquiry.', 'reply-text'));
  $('release').addEventListener('click', () =>
    act($('release'), post('release'), 'You released this inquiry; it is open for anyone.', 'claim'));
  $('resolve').addEventListener('click', () =>
    act($('resolve'), post('resolve'), 'Inquiry resolved.', 'reopen'));
  $('reopen').addEventListener('click', () =>
    act($('reopen'), post('reopen'), 'Inquiry reopened.', 'claim'));

  $('reply-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const box = $('reply-text');
    const text = box.value.trim();
    if (!text) { showError('Type a reply first.', { focus: false }); box.focus(); return; }
    const sent = await act($('reply-submit'), post('reply', { text }), 'Reply sent to the patient.', 'reply-text');
    // Clear only what was sent: text typed while it was on its way stays.
    if (sent && box.value.trim() === text) {
      box.value = '';
      state.inserted = null;
      $('canned-select').value = '';
      updateCounter();
    }
  });

  $('note-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const box = $('note-text');
    const text = box.value.trim();
    if (!text) { showError('Type a note first.', { focus: false }); box.focus(); return; }
    const saved = await act($('note-submit'), post('notes', { text }), 'Internal note added.', 'note-text');
    if (saved && box.value.trim() === text) box.value = '';
  });

  $('transfer-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const department = $('transfer-department').value;
    const reason = $('transfer-reason').value.trim();
    if (!department) { showError('Choose a department.', { focus: false }); $('transfer-department').focus(); return; }
    if (!reason) { showError('Give a reason for the transfer.', { focus: false }); $('transfer-reason').focus(); return; }

    const target = state.departments.find((d) => d.id === department);
    const said = 'Transferred to ' + departmentName(department) + '.';
    if (target && !target.mine) {
      // The inquiry leaves our departments: this page could no longer show it.
      clearError();
      try {
        await whileBusy($('transfer-submit'), post('transfer', { department, reason }));
        setFlash(said);
        location.assign('queue.html');
      } catch (err) {
        showError(err);
      }
      return;
    }
    const moved = await act($('transfer-submit'), post('transfer', { department, reason }), said, 'claim');
    if (moved) $('transfer-reason').value = '';
  });

  $('canned-select').addEventListener('change', insertCanned);
  $('reply-text').addEventListener('input', updateCounter);

  async function start() {
    showFlash();
    try {
      state.account = (await loadSession()).account;
      initHeader(state.account);
    } catch (err) {
      showError(err, { focus: false });
      return;
    }
    if (!id) { showError('No inquiry was named. Open one from the queue.'); return; }
    try {
      const data = await api('departments');
      state.departments = Array.isArray(data.departments) ? data.departments : [];
    } catch (err) {
      showError(err, { focus: false }); // names fall back to ids
    }
    updateCounter();
    await load();
  }

  start();
})();
