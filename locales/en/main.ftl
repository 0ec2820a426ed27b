site-name = Wijkmakers Academie
skip-to-content = Skip to content
nav-label = Main menu
nav-courses = Courses
nav-my-courses = My courses
nav-my-trainings = My trainings
nav-manage-courses = Manage courses
nav-outbox = Emails
nav-users = Users
nav-profile-of = Profile of
nav-login = Log in
nav-register = Create account
nav-logout = Log out
nav-privacy = Privacy
switch-language = Nederlands
footer-tagline = The Wijkmakers Academie is there for everyone, wherever you live, wherever you come from, whoever you are.
footer-api = API for developers
language-nl = Nederlands
language-en = English
footer-agenda = Calendar (iCal)
pagination = Pages

home-title = Learning for your neighbourhood and village
home-lead = The Wijkmakers Academie offers courses to everyone who wants to make their neighbourhood or village in the municipality of Groningen nicer, safer and stronger.
home-everyone = For residents, volunteers, professionals and students. You need no diploma. You learn with and from each other, close to home.
home-cta = See the courses
home-how-title = How it works
home-how-find = Find a course by theme, neighbourhood or month.
home-how-enrol = Create an account and enrol. You get a confirmation by email.
home-how-learn = Come to the sessions. You get a reminder by email, and the dates are in your calendar.
home-themes-title = Our themes
home-themes-body = Subversive crime, energy transition, democratisation, neighbourhood renewal, personal leadership and speaking each other's language.

form-optional = may stay empty
form-error-prefix = Error:
form-error-summary = Something is wrong. Please look at these fields:
choose-none = — choose —
choose-all = All
filter-submit = Search

error-home-link = To the home page
error-request-id = Want to help us? Please mention this code: { $id }
error-not-found-title = Not found
error-not-found-detail = This page or item does not exist (any more).
error-unauthorized-title = Please log in first
error-unauthorized-detail = You need to be logged in to do this.
error-forbidden-title = No access
error-forbidden-detail = Your account is not allowed to do this.
error-csrf-detail = This form has expired or did not come from this website. Go back, reload the page and try again.
error-conflict-title = This is not possible now
error-validation-title = Please check what you entered
error-validation-detail = Not everything is filled in correctly.
error-bad-request-title = Request not understood
error-bad-request-detail = We do not understand this request.
error-bad-json-detail = The content is not valid JSON.
error-method-title = Not possible here
error-method-detail = This action is not possible at this address.
error-too-large-title = Too large
error-too-large-detail = What you sent is too large.
error-media-type-title = Wrong kind of content
error-media-type-detail = Please send the content as application/json.
error-too-many-title = Please wait
error-too-many-detail = Too many attempts. Wait a moment and then try again.
error-unavailable-title = Not available right now
error-unavailable-detail = The platform cannot be reached right now. Please try again in a few minutes.
error-internal-title = Something went wrong
error-internal-detail = Something went wrong on our side. It is not your fault. Please try again later.

field-required = Please fill in this field.
field-too-long = This is too long: at most { $max } characters.
field-control-chars = Please do not use line breaks or tabs here.
field-type = This field does not have the right form.
field-range = Choose a number from { $min } up to { $max }.
field-choice = Choose one of the options.
field-email-invalid = Enter a valid email address, such as name@example.org.
field-email-taken = There already is an account with this email address.
field-password-too-short = Choose a password of at least { $min } characters. A short sentence works well.
field-password-too-long = This password is too long.
field-password-common = This password is too common and easy to guess. Please choose another.
field-password-is-email = Your password may not be the same as your email address.
field-password-wrong = This password is not correct.
field-register-throttled = There have been too many sign-ups just now. Please try again in { $minutes } { $minutes ->
    [one] minute
   *[other] minutes
}.
field-password-throttled = Too many wrong passwords. Please try again in { $minutes } { $minutes ->
    [one] minute
   *[other] minutes
}.
field-consent-required = You need to agree to the privacy statement.
field-wijk-unknown = We do not know this neighbourhood or village. Choose one from the list.
field-kind-unknown = Choose resident, volunteer, professional or student.
field-token-invalid = This link has expired or has already been used.

flash-logged-out = You are logged out.
flash-logged-out-everywhere = You are logged out everywhere.
flash-password-reset = Your password has been changed. Log in with your new password.
flash-password-changed = Your password has been changed.
flash-profile-saved = Your details have been saved.
flash-feed-renewed = Your calendar has a new address. The old address no longer works: subscribe again with the new one.
flash-session-ended = That session has been ended.
flash-verification-sent = We have sent you a new link.
flash-account-deleted = The account has been deleted.
flash-welcome = Welcome! Your account is ready.
flash-invited = The invitation has been sent.
flash-role-changed = The role has been changed.

role-participant = Participant
role-trainer = Trainer
role-coordinator = Coordinator
role-admin = Administrator
kind-bewoner = Resident
kind-vrijwilliger = Volunteer
kind-professional = Professional
kind-student = Student
field-invisible-chars = This contains an invisible character that we cannot store. Please type the text again instead of pasting it.
