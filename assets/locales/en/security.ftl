# "Bezpieczeństwo": sessions, logins, password and e-mail changes, two-step login.

security-title = Security
security-heading = Account security
security-sessions = Open sessions
security-since = Since
security-last-seen = Last active
security-ip = IP address
security-browser = Browser
security-this-session = (this session)
security-end-others = Log out all other devices
security-others-ended = Other sessions ended: { $count }.
security-recent-logins = Recent logins
security-no-logins = No logins recorded.
security-when = When
security-result = Result
security-login-ok = successful
security-login-lockout = locked after failed attempts
security-login-failed = failed

security-password-heading = Change password
security-current-password = Current password
security-new-password = New password
security-new-password-hint = At least { $min-length } characters; it may not contain your login or be a common password. After the change we will log out your other devices.
security-new-password-repeated = Repeat the new password
security-change-password = Change password
security-password-changed = Your password has been changed. Other sessions have been ended.
security-wrong-current-password = The current password is wrong.
security-throttled = Too many failed attempts. { $retry }

security-email-heading = Account e-mail address
security-email-current = Current address:
security-email-explain = The new address takes effect once you click the link we send to it; we will also tell the current address about the change.
security-new-email = New e-mail address
security-change-email = Change the address
security-email-link-sent = We have sent a confirmation link to the new address. The address changes once you click the link.
security-email-format = Enter a valid e-mail address.
security-same-email = This is already your current e-mail address.
security-email-throttled = Too many attempts. { $retry }
security-email-changed = The account's e-mail address is now { $email }.
security-email-confirm-title = New e-mail address
security-email-confirm-heading = Confirm the new e-mail address
security-email-confirm-intro = Once confirmed, the e-BOK account's address will be
security-email-confirm-submit = Confirm
# Contains a link: rendered with `safe`.
security-email-link-inactive = This link has already been used or has expired. You can start the change again on the <a href="/bezpieczenstwo">Security</a> page.

security-2fa-heading = Two-step login
security-2fa-on = On. Recovery codes left: { $count }.
security-2fa-off = Off. Once it is on, logging in will need a code from an app on your phone as well as the password.
security-2fa-manage = Manage
security-2fa-turn-on = Turn on two-step login
security-2fa-enabled-intro = Two-step login is on. To turn it off, enter your password and the current code from the app (or a recovery code).
security-password = Password
security-code = Code
security-2fa-turn-off = Turn off two-step login
security-2fa-step-install = Install an authenticator app (e.g. Google Authenticator, Microsoft Authenticator, FreeOTP).
security-2fa-step-scan = Scan the QR code or type in the key.
security-2fa-step-code = Enter the 6-digit code the app shows.
security-2fa-key = Key:
security-2fa-app-code = Code from the app
security-2fa-ebok-password = e-BOK password
security-2fa-enable = Turn on
security-2fa-start-over = Start again
security-back = Back to security settings
security-2fa-restart = Start the setup again: refresh the page.
security-2fa-setup-wrong-code = The code does not match. Check that your phone sets its clock automatically and enter the current code.
security-wrong-password = The password is wrong.
security-wrong-code = The code is wrong.
security-2fa-already-on = Two-step login is already on.
security-2fa-turned-off = Two-step login has been turned off.
security-codes-title = Recovery codes
security-codes-heading = Two-step login is on
security-codes-intro = Keep these recovery codes somewhere safe. Each works once, when you do not have your phone.
security-codes-only-now = We show them only now.
security-codes-saved = I have saved the codes
