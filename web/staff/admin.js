// Admin page (role admin): staff accounts and saved (canned) responses.
// Element ids: #admin-content, #accounts-table (body #accounts-rows; rows tr[data-account-id]
// with buttons #disable-<id> (Disable/Enable, .account-toggle), #edit-departments-<id>
// (.account-edit) and #reset-<id> (.account-reset); the editor row holds
// #edit-departments-form-<id>, checkboxes #edit-<id>-<department>, #save-departments-<id>,
// #cancel-departments-<id>), #create-account-form, #new-email, #new-name, #new-role,
// #new-departments (fieldset; checkboxes #new-department-<department>), #create-account (submit),
// #temporary-password-box, #temporary-password, #temporary-password-for, #temporary-password-done,
// #canned-department, #canned-list (li[data-canned-id], buttons #canned-delete-<id>),
// #canned-form, #canned-title, #canned-body, #canned-add, #account-name, #sign-out, #error, #status.
(function () {
  'use strict';

  const {
    $, el, button, api, loadSession, initHeader, clearError, showError, announce,
    showFlash, whileBusy,
  } = window.Staff;

  const state = { me: null, departments: [], accounts: [], returnFocus: null };

  const departmentName = (dept) => (state.departments.find((d) => d.id === dept) || { name: dept }).name;
  const accountPath = (account) => 'admin/accounts/' + encodeURIComponent(account.id);

  function checkbox(id, value, label, checked) {
    const input = el('input');
    input.type = 'checkbox';
    input.id = id;
    input.value = value;
    input.checked = checked;
    const lab = el('label', 'check', input, label);
    return lab;
  }

  // Rows repeat the same buttons; the spoken name says whose ("Disable Dana"), starting
  // with the visible words so voice control still finds it by what it shows.
  function named(control, whose) {
    control.setAttribute('aria-label', control.textContent + ' ' + whose);
    return control;
  }

  const checkedValues = (container) =>
    [...container.querySelectorAll('input[type="checkbox"]:checked')].map((c) => c.value);

  // ---------- temporary passwords ----------
  function showTemporaryPassword(account, password, returnFocus) {
    $('temporary-password-for').textContent = account.name + ' (' + account.email + ')';
    $('temporary-password').textContent = String(password || '');
    $('temporary-password-box').hidden = false;
    state.returnFocus = returnFocus;
    $('temporary-password-heading').focus();
  }

  $('temporary-password-done').addEventListener('click', () => {
    $('temporary-password').textContent = '';
    $('temporary-password-box').hidden = true;
    const target = typeof state.returnFocus === 'function' ? state.returnFocus() : state.returnFocus;
    (target || $('main')).focus();
  });

  // ---------- accounts ----------
  function accountRow(account) {
    const self = state.me && account.id === state.me.id;
    const name = account.name || account.email;
    const actions = el('div', 'button-row');

    if (!self) {
      const toggle = button('disable-' + account.id, 'button small account-toggle' + (account.disabled ? '' : ' danger'),
        account.disabled ? 'Enable' : 'Disable');
      named(toggle, name);
      toggle.addEventListener('click', () => setDisabled(account, !account.disabled, toggle));
      actions.append(toggle);
    }
    const edit = named(button('edit-departments-' + account.id, 'button small account-edit', 'Edit departments'), 'of ' + name);
    edit.setAttribute('aria-expanded', 'false');
    edit.addEventListener('click', () => toggleEditor(account, edit));
    const reset = named(button('reset-' + account.id, 'button small account-reset', 'Reset sign-in'), 'for ' + name);
    reset.addEventListener('click', () => resetSignIn(account, reset));
    actions.append(edit, reset);

    const departments = (account.departments || []).map(departmentName).join(', ');
    const tr = el('tr', null,
      el('th', null, name, self ? el('span', 'muted', ' (you)') : null),
      el('td', null, account.email),
      el('td', null, account.role === 'admin' ? 'Admin' : 'Staff'),
      el('td', departments ? null : 'muted', departments || 'None'),
      el('td', null, account.mfa_enrolled ? 'Yes' : 'No'),
      el('td', account.disabled ? 'flag-on' : null, account.disabled ? 'Yes' : 'No'),
      el('td', null, actions));
    tr.querySelector('th').scope = 'row';
    tr.dataset.accountId = account.id;
    return tr;
  }

  async function loadAccounts() {
    const data = await api('admin/accounts');
    state.accounts = Array.isArray(data.accounts) ? data.accounts : [];
    $('accounts-rows').replaceChildren(...state.accounts.map(accountRow));
  }

  // After a change the table is drawn anew; focus goes back to the same control in the new row.
  async function afterChange(message, focusId) {
    await loadAccounts();
    announce(message);
    const target = $(focusId);
    if (target) target.focus();
  }

  async function setDisabled(account, disabled, control) {
    clearError();
    try {
      await whileBusy(control, () => api(accountPath(account), { method: 'PATCH', body: { disabled } }));
      await afterChange(disabled ? account.name + "'s account is disabled; their sessions have ended."
        : account.name + "'s account is enabled.", 'disable-' + account.id);
    } catch (err) {
      showError(err);
    }
  }

  async function resetSignIn(account, control) {
    clearError();
    try {
      const result = await whileBusy(control, () => api(accountPath(account) + '/reset', { method: 'POST', body: {} }));
      await loadAccounts();
      showTemporaryPassword(result.account || account, result.temporary_password, () => $('reset-' + account.id));
    } catch (err) {
      showError(err);
    }
  }

  // The department editor opens in a row under the account's own.
  function toggleEditor(account, edit) {
    const row = edit.closest('tr');
    const open = row.nextElementSibling && row.nextElementSibling.classList.contains('edit-row');
    if (open) { closeEditor(row, edit); return; }

    const form = el('form', null);
    form.id = 'edit-departments-form-' + account.id;
    form.noValidate = true;
    const checks = el('div', 'checks', ...state.departments.map((d) =>
      checkbox('edit-' + account.id + '-' + d.id, d.id, d.name, (account.departments || []).includes(d.id))));
    const save = el('button', 'button small primary', 'Save departments');
    save.type = 'submit';
    save.id = 'save-departments-' + account.id;
    const cancel = button('cancel-departments-' + account.id, 'button small', 'Cancel');
    form.append(el('fieldset', null, el('legend', null, 'Departments for ' + account.name), checks),
      el('div', 'button-row', save, cancel));

    const cell = el('td', null, form);
    cell.colSpan = 7;
    row.after(el('tr', 'edit-row', cell));
    edit.setAttribute('aria-expanded', 'true');

    cancel.addEventListener('click', () => closeEditor(row, edit));
    form.addEventListener('keydown', (event) => { if (event.key === 'Escape') closeEditor(row, edit); });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearError();
      const departments = checkedValues(form);
      try {
        await whileBusy(save, () => api(accountPath(account), { method: 'PATCH', body: { departments } }));
        await afterChange('Departments for ' + account.name + ' saved.', 'edit-departments-' + account.id);
      } catch (err) {
        showError(err);
      }
    });
    const first = form.querySelector('input');
    (first || save).focus();
  }

  function closeEditor(row, edit) {
    row.nextElementSibling.remove();
    edit.setAttribute('aria-expanded', 'false');
    edit.focus();
  }

  $('create-account-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    const body = {
      email: $('new-email').value.trim(),
      name: $('new-name').value.trim(),
      role: $('new-role').value,
      departments: checkedValues($('new-departments')),
    };
    if (!body.name) { showError('Enter a name.', { focus: false }); $('new-name').focus(); return; }
    if (!body.email) { showError('Enter an email address.', { focus: false }); $('new-email').focus(); return; }

    try {
      const result = await whileBusy($('create-account'), () => api('admin/accounts', { method: 'POST', body }));
      $('create-account-form').reset();
      await loadAccounts();
      showTemporaryPassword(result.account || body, result.temporary_password, $('new-name'));
    } catch (err) {
      showError(err);
    }
  });

  // ---------- saved responses ----------
  async function loadCanned() {
    const dept = $('canned-department').value;
    $('canned-department-name').textContent = departmentName(dept);
    if (!dept) return;
    try {
      const data = await api('canned?department=' + encodeURIComponent(dept));
      const items = (Array.isArray(data.canned) ? data.canned : []).map(cannedItem);
      $('canned-list').replaceChildren(...(items.length ? items : [el('li', 'muted', 'None yet.')]));
    } catch (err) {
      $('canned-list').replaceChildren();
      showError(err, { focus: false });
    }
  }

  function cannedItem(canned) {
    const remove = named(button('canned-delete-' + canned.id, 'button small danger canned-delete', 'Delete'),
      '“' + canned.title + '”');
    remove.dataset.cannedId = canned.id;
    remove.addEventListener('click', async () => {
      clearError();
      try {
        await whileBusy(remove, () => api('admin/canned/' + encodeURIComponent(canned.id), { method: 'DELETE' }));
        await loadCanned();
        announce('Saved response “' + canned.title + '” deleted.');
        $('canned-department').focus();
      } catch (err) {
        showError(err);
      }
    });
    const item = el('li', null, el('p', null, el('strong', null, canned.title)), el('p', null, canned.body), remove);
    item.dataset.cannedId = canned.id;
    return item;
  }

  $('canned-department').addEventListener('change', () => { clearError(); loadCanned(); });

  $('canned-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    const body = {
      department: $('canned-department').value,
      title: $('canned-title').value.trim(),
      body: $('canned-body').value.trim(),
    };
    if (!body.title) { showError('Enter a title.', { focus: false }); $('canned-title').focus(); return; }
    if (!body.body) { showError('Enter the text.', { focus: false }); $('canned-body').focus(); return; }

    try {
      await whileBusy($('canned-add'), () => api('admin/canned', { method: 'POST', body }));
      $('canned-form').reset();
      await loadCanned();
      announce('Saved response “' + body.title + '” added for ' + departmentName(body.department) + '.');
    } catch (err) {
      showError(err);
    }
  });

  // ---------- start ----------
  function fillDepartments() {
    $('new-departments-list').replaceChildren(...state.departments.map((d) =>
      checkbox('new-department-' + d.id, d.id, d.name, false)));
    $('canned-department').replaceChildren(...state.departments.map((d) => {
      const option = el('option', null, d.name);
      option.value = d.id;
      return option;
    }));
  }

  async function start() {
    showFlash();
    try {
      state.me = (await loadSession()).account;
      initHeader(state.me);
      if (state.me.role !== 'admin') {
        showError('Only administrators can use this page.', { focus: false });
        return;
      }
      const data = await api('departments');
      state.departments = Array.isArray(data.departments) ? data.departments : [];
      fillDepartments();
      await loadAccounts();
      $('admin-content').hidden = false;
      loadCanned();
    } catch (err) {
      showError(err, { focus: false });
    }
  }

  start();
})();
