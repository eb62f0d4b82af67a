# Error pages (shown by the catchers).

errors-back-home = Back to the home page
errors-bad-request-title = Bad request
errors-bad-request = We could not read the data you sent. Go back and try again.
errors-forbidden-title = Access denied
errors-forbidden = You may not open this page, or the form has expired. Refresh the page and try again.
errors-not-found-title = Page not found
errors-not-found = The page you are looking for does not exist or has moved.
errors-too-many-title = Too many attempts
errors-too-many = Please wait a moment and try again.
errors-server-title = Server error
errors-server = Something went wrong on our side. Please try again in a moment; if the error persists, contact the customer office.
errors-other-title = Error
errors-other = The request could not be completed.
errors-back-to-form = Back to the form
errors-too-large-title = Files too large
errors-too-large = The data sent is too large. A ticket takes at most 5 PDF, JPEG or PNG files of up to 5 MB each. Go back to the form and choose smaller files.
errors-request-id = Quote this code when you report the error:
errors-unavailable-title = Back in a moment
errors-unavailable = We cannot reach our data right now. This usually takes a few seconds: please try again shortly. Nothing already saved has been lost.
