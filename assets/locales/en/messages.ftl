# Form problems reported by the use cases (passwords, registration fields, throttling).

messages-password-too-short = The password must have at least { $min-length } characters.
messages-password-too-long = The password is too long (at most 256 characters).
messages-password-same-as-login = The password may not contain your login.
messages-password-too-common = This password is too common and easy to guess. Please choose another one.
messages-password-mismatch = The repeated password differs from the first one.
messages-login-format = The login must have 3 to 32 characters: letters without Polish diacritics, digits, dot, underscore or hyphen.
messages-login-taken = This login is already taken. Please choose another one.
messages-email-format = Enter a valid e-mail address, e.g. jan.kowalski@example.com.
messages-pesel-format = The PESEL number is not valid: check that it has 11 digits and contains no typo.
messages-contract-number-format = Enter the contract number exactly as it appears on the contract, e.g. UM/2025/00002.
messages-terms-not-accepted = To open an account, accept the e-BOK terms of service.
messages-retry-after = Try again after { $time }.
