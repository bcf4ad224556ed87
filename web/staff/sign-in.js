// Sign-in page (index.html): POST ../api/staff/sign-in, then on by `next`.
// Element ids: #sign-in (form), #email, #password, #code, #sign-in-submit, #error, #status.
(function () {
  'use strict';

  const { $, api, setCsrf, goNext, clearError, showError, whileBusy, showFlash } = window.Staff;
  const form = $('sign-in');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();

    const email = $('email').value.trim();
    const password = $('password').value;
    // Recovery codes are typed as shown (xxxx-xxxx-xxxx); spaces in a 6-digit code are dropped.
    const code = $('code').value.replace(/\s+/g, '');
    if (!email || !password) {
      showError('Enter your email and password.', { focus: false });
      $(email ? 'password' : 'email').focus();
      return;
    }

    const body = { email, password };
    if (code) body.code = code;
    try {
      const session = await whileBusy($('sign-in-submit'), () => api('sign-in', { method: 'POST', body }));
      setCsrf(session.csrf_token);
      goNext(session.next);
    } catch (err) {
      // A code is accepted once, so a failed attempt's code is spent either way.
      $('code').value = '';
      showError(err);
    }
  });

  showFlash();
})();
