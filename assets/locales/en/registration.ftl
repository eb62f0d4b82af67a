# Opening an account and activating it.

registration-title = Registration
registration-heading = Open an e-BOK account
registration-intro = You need the contract number, the PESEL number of the person who signed the contract and the e-mail address given in the contract. We will send the activation link to that address.
registration-contract-data = Contract details
registration-contract-number = Contract number
registration-contract-number-hint = As on the contract, e.g. UM/2025/00002.
registration-pesel = PESEL
registration-email = E-mail address from the contract
registration-login-data = Login details
registration-login = Login
registration-login-hint = 3 to 32 characters: letters (without Polish diacritics), digits, dot, underscore, hyphen.
registration-password = Password
registration-password-hint = At least { $min-length } characters; it may not contain your login or be a common password. A few words work best, e.g. green-lime-by-the-river.
registration-password-repeated = Repeat the password
# Contains a link: rendered with `safe`; the version is ours, never typed by a user.
registration-accept-terms = I accept the <a href="/regulamin">e-BOK terms of service</a> (version { $version }).
registration-submit = Open the account
registration-have-account = Already have an account?
registration-log-in = Log in
registration-fix-fields = Please correct the marked fields.
registration-identity-not-confirmed = We could not confirm your identity. The contract number, PESEL and e-mail address must be exactly as in your contract with the operator. If they match and registration still fails, contact the customer office.
registration-already-registered = This contract already has an e-BOK account. Log in or use password recovery.
registration-not-own-connection = An account can only be opened from your own internet connection with the operator. Connect through it and try again.
registration-throttled = Too many registration attempts. { $retry }

registration-sent-title = Check your mailbox
registration-sent-heading = Check your e-mail
registration-sent-text = We have sent an activation link to the address given in the contract. Click it within 48 hours to activate the account.
# Contains a link: rendered with `safe`.
registration-sent-missing = No message? Check your spam folder or <a href="/aktywacja/ponownie">send the link again</a>.

registration-activate-title = Account activation
registration-activate-heading = Activate your account
registration-activate-intro = Click the button to activate the account and log in to e-BOK.
registration-activate-submit = Activate the account
# Contains links: rendered with `safe`.
registration-activate-inactive = This activation link has already been used or has expired. If the account is already active, <a href="/logowanie">log in</a>. Otherwise <a href="/aktywacja/ponownie">send a new link</a>.
registration-activated = Your account has been activated. Welcome to e-BOK!

registration-resend-title = Activation link
registration-resend-heading = Send the activation link again
registration-resend-sent = If the account is waiting for activation, we have sent a new link to its e-mail address. Earlier links no longer work.
registration-resend-identifier = Login or e-mail address
registration-resend-submit = Send the link
registration-resend-throttled = Too many link requests. { $retry }
