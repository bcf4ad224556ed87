// Queue page: the inquiries of the signed-in person's departments, refreshed every 30 s.
// Element ids: #department-filter, #status-filter, #refresh, #queue-filters (form),
// #queue-table (caption #queue-caption, body #queue-rows; each row tr[data-inquiry-id]
// holding a.inquiry-link), #last-updated, #nav-queue, #nav-admin, #nav-password,
// #account-name, #sign-out, #error, #status.
(function () {
  'use strict';

  const {
    $, el, api, loadSession, initHeader, clearError, showError, announce, showFlash,
    formatAge, formatWhen, timeElement, statusLabel, priorityBadge, liveClaim,
  } = window.Staff;

  const REFRESH_MS = 30000;
  const STATUS_CAPTIONS = {
    active: 'Active inquiries', open: 'Open inquiries', claimed: 'Claimed inquiries', resolved: 'Resolved inquiries',
  };

  const state = {
    departments: [], timer: null, loading: false, again: null, lastSummary: null,
    flash: null, // what the previous page left to say, kept in front of the first count
  };

  function departmentName(id) {
    const found = state.departments.find((d) => d.id === id);
    return found ? found.name : String(id || '');
  }

  // The filters live in the address (?department=&status=), so Back from an inquiry keeps them.
  function readFilters() {
    const params = new URLSearchParams(location.search);
    return { department: params.get('department') || '', status: params.get('status') || 'active' };
  }

  function writeFilters() {
    const params = new URLSearchParams();
    if ($('department-filter').value) params.set('department', $('department-filter').value);
    params.set('status', $('status-filter').value);
    history.replaceState(null, '', '?' + params);
    return params;
  }

  function summarise(inquiries) {
    const urgent = inquiries.filter((i) => i.priority === 'urgent').length;
    if (!inquiries.length) return 'No inquiries';
    return inquiries.length + (inquiries.length === 1 ? ' inquiry, ' : ' inquiries, ') + urgent + ' urgent';
  }

  function dueCell(inquiry) {
    if (inquiry.overdue) {
      return el('td', null, el('strong', 'overdue', 'Overdue'), ' ',
        el('span', 'muted', '(due ', timeElement(inquiry.due_at), ')'));
    }
    if (!inquiry.due_at) return el('td', 'muted', '—');
    return el('td', null, 'Due ', timeElement(inquiry.due_at));
  }

  function row(inquiry, now) {
    const link = el('a', 'inquiry-link', inquiry.preview || 'Inquiry ' + String(inquiry.id).slice(0, 8));
    link.href = 'inquiry.html?id=' + encodeURIComponent(inquiry.id);
    const claim = liveClaim(inquiry);

    const tr = el('tr', inquiry.priority === 'urgent' ? 'is-urgent' : null,
      el('td', null, priorityBadge(inquiry.priority)),
      el('td', null, departmentName(inquiry.department)),
      el('th', 'preview', link),
      el('td', null, timeElement(inquiry.created_at, formatAge(inquiry.created_at, now))),
      dueCell(inquiry),
      el('td', null, statusLabel(inquiry.status)),
      el('td', claim ? null : 'muted', claim ? claim.name : 'Unclaimed'));
    tr.querySelector('th').scope = 'row';
    tr.dataset.inquiryId = inquiry.id;
    tr.dataset.priority = inquiry.priority;
    return tr;
  }

  function render(inquiries) {
    const now = Date.now();
    const rows = inquiries.map((inquiry) => row(inquiry, now));
    if (!rows.length) {
      const empty = el('td', 'empty', 'No inquiries match these filters.');
      empty.colSpan = 7;
      rows.push(el('tr', null, empty));
    }
    $('queue-rows').replaceChildren(...rows);

    const department = $('department-filter').value;
    $('queue-caption').textContent = STATUS_CAPTIONS[$('status-filter').value] + ' in '
      + (department ? departmentName(department) : 'all my departments');
    $('last-updated').textContent = 'Updated ' + formatWhen(new Date(now).toISOString())
      + '. Updates every 30 seconds.';
  }

  // `manual`: asked for by the person (Refresh, a filter), so the count is always said;
  // the timer's refreshes speak only when the count changed.
  async function loadQueue({ manual = false } = {}) {
    // A filter changed during a refresh: load again once this one is done.
    if (state.loading) { state.again = state.again || { manual }; return; }
    state.loading = true;
    clearTimeout(state.timer);
    try {
      const data = await api('queue?' + writeFilters());
      const inquiries = Array.isArray(data.inquiries) ? data.inquiries : [];
      clearError();
      render(inquiries);
      const summary = summarise(inquiries);
      // The count replaces the status line: a message such as "Transferred to Pharmacy."
      // would vanish as soon as it was shown.
      const flash = state.flash;
      state.flash = null;
      if (manual || summary !== state.lastSummary) announce(flash ? flash + ' ' + summary : summary);
      state.lastSummary = summary;
    } catch (err) {
      showError(err, { focus: manual });
    } finally {
      state.loading = false;
      const again = state.again;
      state.again = null;
      if (again) loadQueue(again);
      else schedule();
    }
  }

  // No refreshes while the tab is hidden; one at once when it is shown again.
  function schedule() {
    clearTimeout(state.timer);
    if (!document.hidden) state.timer = setTimeout(() => loadQueue(), REFRESH_MS);
  }

  document.addEventListener('visibilitychange', () => {
    if (document.hidden) clearTimeout(state.timer);
    else loadQueue();
  });

  $('queue-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    loadQueue({ manual: true });
  });
  $('department-filter').addEventListener('change', () => loadQueue({ manual: true }));
  $('status-filter').addEventListener('change', () => loadQueue({ manual: true }));

  async function start() {
    state.flash = showFlash();
    try {
      initHeader((await loadSession()).account);
    } catch (err) {
      showError(err, { focus: false });
      return;
    }
    try {
      const data = await api('departments');
      state.departments = Array.isArray(data.departments) ? data.departments : [];
    } catch (err) {
      // The queue still works without names: departments are then shown by id.
      showError(err, { focus: false });
      if (err.redirected) return;
    }

    const select = $('department-filter');
    for (const d of state.departments.filter((dept) => dept.mine)) {
      const option = el('option', null, d.name);
      option.value = d.id;
      select.append(option);
    }
    const filters = readFilters();
    if ([...select.options].some((o) => o.value === filters.department)) select.value = filters.department;
    if (STATUS_CAPTIONS[filters.status]) $('status-filter').value = filters.status;
    loadQueue({ manual: true });
  }

  start();
})();
