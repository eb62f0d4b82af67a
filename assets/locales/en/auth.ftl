# Signing in (two steps), signing out, forgotten password.

auth-login-title = Log in
auth-login-heading = Log in to e-BOK
auth-identifier = Login or e-mail address
auth-password = Password
auth-log-in = Log in
auth-forgot-password = Forgotten your password?
auth-no-account = No account yet? Create one
auth-no-activation-link = Did not get the activation link?
auth-signed-in = You are logged in. Welcome to e-BOK!
auth-code-needed = Password correct. Enter the code from your app.
auth-invalid = Wrong login or password.
auth-throttled = Too many failed login attempts. { $retry }
auth-busy = A great many people are signing in right now. Please try again in a few seconds.
auth-not-activated = The account has not been activated yet. Click the link in the e-mail or have it sent again: /aktywacja/ponownie
auth-logged-out = You have logged out. See you soon!

auth-code-title = Login code
auth-code-heading = Two-step login
auth-code-intro = Enter the 6-digit code from your authenticator app. If you do not have your phone with you, enter one of your recovery codes.
auth-code = Code
auth-code-confirm = Confirm
auth-code-start-over = Start logging in again
auth-code-expired = Too much time has passed. Please log in again.
auth-code-throttled = Too many failed attempts. { $retry }
auth-code-invalid = The code is wrong. Enter the current code from your app or one of your recovery codes.
auth-code-already-used = This code has already been used. Wait for your app to show the next one (it changes every 30 seconds) and enter that.

auth-link-inactive = This link no longer works
auth-reset-title = Forgotten password
auth-reset-heading = Forgotten your password?
auth-reset-sent = If this address belongs to an e-BOK account, we have sent it a link to set a new password. The link is valid for one hour.
auth-reset-intro = Enter your account's e-mail address. We will send you a link to set a new password.
auth-reset-email = E-mail address
auth-reset-send = Send the link
auth-reset-throttled = Too many password reset requests. { $retry }
auth-new-password-title = New password
auth-new-password-heading = Set a new password
auth-new-password-intro = Once the password is changed, we will end every session of this account on all devices.
auth-new-password = New password
auth-new-password-hint = At least { $min-length } characters; it may not contain your login or be a common password.
auth-new-password-repeated = Repeat the new password
auth-new-password-save = Save the password
# Contains a link: rendered with `safe`, so no placeables here.
auth-new-password-link-inactive = This link has already been used or has expired (it is valid for one hour). <a href="/haslo/reset">Ask for a new link</a>.
auth-password-reset-done = Your password has been changed and all sessions have been ended. Log in with the new password.
