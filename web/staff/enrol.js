// Enrolment page: shows the TOTP secret and QR code, confirms a first code,
// then shows the ten recovery codes once.
// Element ids: #enrol-section, #qr (img, inside #qr-box), #secret (text grouped in fours;
// data-secret holds it without spaces), #secret-plain (read-only input, no spaces),
// #otpauth-url (text), #otpauth-link (shown for an otpauth: URL), #enrol-form,
// #enrol-code, #enrol-submit, #recovery-section, #recovery-codes (ol), #recovery-done,
// #account-name, #sign-out, #error, #status.
(function () {
  'use strict';

  const { $, el, api, loadSession, goNext, clearError, showError, whileBusy, showFlash, initHeader } = window.Staff;
  const QR_URL = '../api/staff/enrolment/qr.svg';

  let nextStage = 'ready';

  // "JBSW Y3DP EHPK 3PXP": easier to read aloud and to type from.
  const inFours = (secret) => secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');

  function showEnrolment(enrolment) {
    const secret = String(enrolment.secret || '');
    $('secret').textContent = inFours(secret);
    $('secret').dataset.secret = secret.replace(/\s+/g, '');
    $('secret-plain').value = secret.replace(/\s+/g, '');
    $('otpauth-url').textContent = String(enrolment.otpauth_url || '');
    // Only an otpauth: link is ever put in an href.
    if (/^otpauth:\/\//i.test(enrolment.otpauth_url)) {
      $('otpauth-link').href = enrolment.otpauth_url;
      $('otpauth-link-row').hidden = false;
    }

    // Added only now: the image exists for a session in the enrol stage alone.
    const qr = el('img', 'qr');
    qr.id = 'qr';
    qr.alt = 'QR code for your authenticator app';
    qr.src = QR_URL;
    $('qr-box').replaceChildren(qr);

    $('enrol-section').hidden = false;
  }

  function showRecoveryCodes(codes) {
    const list = $('recovery-codes');
    list.replaceChildren(...codes.map((code) => el('li', null, String(code))));
    $('enrol-section').hidden = true;
    $('recovery-section').hidden = false;
    $('recovery-heading').focus();
  }

  $('enrol-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    const code = $('enrol-code').value.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(code)) {
      showError('Type the 6 digits your authenticator app shows.', { focus: false });
      $('enrol-code').focus();
      return;
    }

    try {
      const result = await whileBusy($('enrol-submit'),
        () => api('enrolment', { method: 'POST', body: { code } }));
      nextStage = result.next;
      showRecoveryCodes(Array.isArray(result.recovery_codes) ? result.recovery_codes : []);
    } catch (err) {
      $('enrol-code').value = '';
      showError(err, { focus: false });
      $('enrol-code').focus();
    }
  });

  $('recovery-done').addEventListener('click', () => goNext(nextStage));

  async function start() {
    showFlash();
    try {
      const session = await loadSession();
      initHeader(session.account);
      if (session.next !== 'enrol') { goNext(session.next); return; }
      showEnrolment(await api('enrolment'));
    } catch (err) {
      showError(err);
    }
  }

  start();
})();
