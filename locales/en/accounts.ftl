register-title = Create an account
register-intro = With an account you can enrol in courses. It is free.
register-submit = Create account
register-have-account = Already have an account?
register-sent-title = Check your email
register-sent-body = We have sent you an email. Click the link in that email to confirm your email address. After that you can enrol.
register-sent-spam = No email? Please also look in your spam folder.

label-name = Name
label-email = Email address
label-password = Password
label-new-password = New password
label-current-password = Current password
label-wijk = Neighbourhood or village
label-organisation = Organisation
label-kind = I am a
label-locale = Language of emails and website
label-role = Role
label-consent = I agree to the
label-consent-link = privacy statement
hint-email = We send the confirmation here.
hint-password = At least 10 characters. A short sentence is strong and easy to remember.

verify-title = Confirm your email address
verify-intro = Click the button to confirm your email address.
verify-button = Confirm my email address
verify-done-title = Done!
verify-done-body = Your email address is confirmed. You can now enrol in courses.
link-invalid-title = This link no longer works
link-invalid-body = The link has expired or has already been used. Log in and ask for a new link on your profile.
link-invalid-new = Ask for a new link

login-title = Log in
login-submit = Log in
login-forgot = Forgot your password?
login-no-account = No account yet?
login-failed = The email address or the password is not correct.
login-throttled = Too many attempts. Please try again in { $minutes } { $minutes ->
    [one] minute
   *[other] minutes
}.
logout-title = Log out
logout-intro = Do you want to log out?

forgot-title = Forgot your password
forgot-intro = Enter your email address. You will get a link to choose a new password.
forgot-submit = Send the link
forgot-sent-title = Check your email
forgot-sent-body = If there is an account with this email address, you will get an email with a link within a few minutes. The link works for one hour.
reset-title = Choose a new password
reset-intro = Choose a new password. After that you log in again everywhere.
new-password-submit = Save password
invitation-title = Welcome to the Wijkmakers Academie
invitation-intro = You have been invited. Choose a password to use your account.

profile-title = My profile
profile-intro = You are logged in as { $email }.
profile-unverified = Your email address is not confirmed yet. That is why you cannot enrol yet. Check your email or ask for a new link.
profile-resend = Send a new link
profile-details = My details
profile-save = Save
profile-password = Change password
profile-password-save = Change password
profile-calendar = My calendar
profile-calendar-intro = Put your courses in your own calendar (for example Google Calendar or Outlook). Use this address to subscribe. Do not share it with others.
profile-calendar-label = Address of your calendar
calendar-subscribe = Subscribe in your calendar
calendar-copy = Copy the address
calendar-copied = The address has been copied.
calendar-renew-intro = Has someone else seen your address? Then make a new address. The old address stops working.
calendar-renew = Make a new address
profile-sessions = Where am I logged in?
profile-sessions-intro = Here you see where you are logged in now. Something you do not recognise? Log it out.
profile-logout-everywhere = Log out everywhere
profile-privacy = Privacy
profile-privacy-intro = You can download all your data or delete your account.
profile-download = Download my data
profile-delete = Delete my account
session-device = Device
session-last-seen = Last used
session-action = Action
session-this = This device
session-end = Log out

delete-title = Delete account
delete-intro = If you delete your account, this happens:
delete-what-1 = We erase your name, email address, neighbourhood and organisation.
delete-what-2 = We give your places in upcoming courses to others.
delete-what-3 = We only keep counts without names, for example how many people took a course.
delete-final = You cannot undo this.
delete-password-hint = Enter your password to show that it is you.
delete-submit = Delete my account
delete-cancel = No, back to my profile

privacy-title = Privacy statement
privacy-lead = The Wijkmakers Academie takes care of your data. Here you can read which data we have, why, and what your rights are.
privacy-what-title = Which data do we have?
privacy-what-account = Your name, email address and password (encrypted). If you fill them in, also your neighbourhood or village, organisation and whether you are a resident, volunteer, professional or student.
privacy-what-enrolments = Which courses you enrol in and whether you were there.
privacy-what-emails = Which emails we sent you.
privacy-what-logins = Where and when you logged in, to protect your account.
privacy-why-title = Why?
privacy-why = We use your data to organise courses: to enrol you, to email you about your course and to keep track of who was there. We count participants without names for reports to partners and funders.
privacy-who-title = Who can see your data?
privacy-who = Only the trainers of your course and the coordinators of the Academie. Partners only get numbers without names. We never sell data.
privacy-rights-title = Your rights
privacy-rights = You may always see which data we have, have it changed or have your account deleted. You can do this yourself, on your profile:
privacy-keep-title = How long do we keep data?
privacy-keep = As long as you have an account. If you delete your account, we immediately erase your name, email address, neighbourhood and organisation.
privacy-cookies-title = Cookies
privacy-cookies = We only use cookies that are needed: to keep you logged in, to protect forms and to remember your choice of language. We do not use cookies to track you.

users-title = Users
users-invite = Invite someone
users-invite-intro = Invite a trainer, coordinator or administrator. They get an email with a link to choose a password.
users-invite-submit = Send invitation
users-list = All users
users-search = Search by name or email address
users-count = { $count ->
    [one] 1 user
   *[other] { $count } users
}
users-actions = Actions
users-unverified = not confirmed
users-role-of = Role of { $name }
users-role-save = Save role
users-delete-intro = You are about to delete the account of { $email }, for example because they asked for it. This happens:
users-delete = Delete { $name }
conflict-email-taken = There already is an account with this email address.
conflict-last-admin = This is the last administrator. First make someone else an administrator.

summary-kind = Who you are
label-consent-short = Privacy statement
verify-done-login = Your email address is confirmed. Log in with your password to continue.
flash-email-verified = Your email address is confirmed.
