// Change-password page: for a temporary password (stage change_password) or by choice.
// Element ids: #password-form, #current-password, #new-password, #confirm-password,
// #password-submit, #temporary-notice, #site-nav, #account-name, #sign-out, #error, #status.
(function () {
  'use strict';

  const {
    $, api, loadSession, goNext, setFlash, clearError, showError, whileBusy, showFlash, initHeader,
  } = window.Staff;

  function fail(message, field) {
    showError(message, { focus: false });
    $(field).focus();
  }

  $('password-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    const current = $('current-password').value;
    const fresh = $('new-password').value;
    const confirm = $('confirm-password').value;

    // The policy itself is the server's (docs/API.md, weak_password); only a typo is caught here.
    if (!current) return fail('Enter your current password.', 'current-password');
    if (!fresh) return fail('Enter a new password.', 'new-password');
    if (fresh !== confirm) return fail('The two new passwords do not match.', 'confirm-password');

    try {
      const body = { current_password: current, new_password: fresh };
      const result = await whileBusy($('password-submit'), () => api('password', { method: 'POST', body }));
      setFlash('Your password was changed. Your other sessions were signed out.');
      goNext(result.next);
    } catch (err) {
      if (err.code === 'invalid_credentials') fail(err.message, 'current-password');
      else if (err.code === 'weak_password') fail(err.message, 'new-password');
      else showError(err);
    }
  });

  async function start() {
    showFlash();
    try {
      const session = await loadSession();
      initHeader(session.account);
      if (session.next === 'enrol') { goNext('enrol'); return; }
      $('temporary-notice').hidden = session.next !== 'change_password';
      $('site-nav').hidden = session.next !== 'ready';
    } catch (err) {
      showError(err);
    }
  }

  start();
})();
