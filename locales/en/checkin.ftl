## Self check-in

checkin-title = Check in
checkin-intro = Enter the code your trainer shows you. Then the trainer knows you are here.
checkin-code-label = Code
checkin-code-hint = 6 letters and digits, for example K7PX2M.
checkin-submit = Check in
checkin-here-button = I am here
checkin-done-title = You are checked in.
checkin-done-present = Good to see you! Your trainer can now see that you are here.
checkin-done-late = Good to see you! You came a little after the start, so your name says "late".
checkin-to-my-courses = To my courses
checkin-screen-title = Check-in
checkin-to-roster = Back to the roster
checkin-roster-link = Check in with a code
checkin-window = Check-in is open from { $opens } until { $closes }.
checkin-link-label = Or open this link (or scan the QR code):
checkin-qr-label = QR code with the check-in link
checkin-no-code = Participants can check themselves in with a code. Make the code and show it, for example on your phone or on a screen.
checkin-make = Make a code
checkin-here-title = Who is here?
checkin-count = { $here } of { $total } checked in
checkin-refresh = Refresh
checkin-not-enrolled = You are not enrolled in this course, so you cannot check in.
checkin-not-open = Check-in is not open yet. It opens 15 minutes before the start.
checkin-closed = Check-in has closed: the session is over.
checkin-session-cancelled = This session has been cancelled. You cannot check in.
field-checkin-wrong-code = This code is not right. Have another look at your trainer's code.
field-checkin-throttled = You entered a wrong code too often. Try again in { $minutes } { $minutes ->
    [one] minute
   *[other] minutes
}.
field-checkin-not-enrolled = You are not enrolled in this course (or you are on the waiting list), so you cannot check in. Ask your trainer for help.
field-checkin-not-open = Check-in is not open yet. It opens at { $opens }.
field-checkin-closed = Check-in has closed. It was open until { $closes }. Are you here anyway? Tell your trainer.
field-checkin-session-cancelled = This session has been cancelled. You cannot check in.
checkin-from-mine = At a session? Show you are there with your trainer's code:
