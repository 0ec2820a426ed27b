catalogue-title = Courses
catalogue-intro = Find a course that suits you. Choose a theme, your neighbourhood or village, or a month.
catalogue-themes-nav = Themes
catalogue-filter-label = Search courses
catalogue-search = Search words
catalogue-theme = Theme
catalogue-month = Month
catalogue-available = Only courses with places left
catalogue-count = { $count ->
    [0] No courses found.
    [one] 1 course found.
   *[other] { $count } courses found.
}
catalogue-none = There are no courses that match your search.
catalogue-clear = Show all courses
catalogue-none-try = Try fewer filters:
catalogue-without-search = Without the search words “{ $value }”
catalogue-without-theme = Without the theme { $value }
catalogue-without-wijk = Without the neighbourhood or village { $value }
catalogue-without-month = In every month, not only { $value }
catalogue-without-available = Also courses that are full (with a waiting list)
catalogue-none-words = Tip: use fewer words, or only the start of a word, such as “energie”.
catalogue-feed = Put all courses in your calendar (iCal)
seats-left = { $count ->
    [one] 1 place left
   *[other] { $count } places left
}
seats-full = Full
waitlist-length = { $count ->
    [one] 1 person on the waiting list
   *[other] { $count } people on the waiting list
}
session-count = { $count } sessions
format-cursus = Course
format-werkplaats = Workshop
format-bijeenkomst = Meeting
status-draft = Draft
status-published = Published
status-cancelled = Cancelled
status-archived = Archived
status-action-published = Publish
status-action-cancelled = Cancel course
status-action-archived = Archive

course-archived = This course is over. You can no longer enrol.
course-cancelled = This course will not take place.
course-draft = This is a draft. Only coordinators see this page.
course-enrol-title = Enrol
course-you-are-enrolled = You are enrolled in this course.
course-you-are-waiting = You are number { $position } on the waiting list.
course-cancel = Cancel my enrolment
course-cancel-of = Cancel my enrolment in { $course }
course-leave-waitlist = Leave the waiting list
course-leave-waitlist-of = Leave the waiting list of { $course }
course-cancel-until = You can cancel until { $deadline }.
course-deadline-passed = You can no longer cancel yourself. Can you not come? Please email the coordinator of the Academie: { $email }.
course-login-to-enrol = Log in to enrol
course-verify-first = First confirm your email address. After that you can enrol.
course-enrol = Enrol me
course-join-waitlist = Put me on the waiting list
course-sessions = Sessions
course-no-sessions = No sessions have been planned yet.
course-add-to-calendar = Add to your calendar (iCal)
course-about = About this course
course-theme = Theme
course-format = Kind
course-audience = For whom
course-capacity = Number of places
course-trainers = Trainers
course-opens = Enrolment opens
course-closes = Enrolment closes
course-manage = Manage this course
session-cancelled = Cancelled
session-online = Join online

trainings-title = My trainings
trainings-intro = The sessions you give, from today on.
trainings-none = You have no sessions planned.

manage-title = Manage courses
manage-new = New course
manage-none = There are no courses yet.
manage-next = Next session
manage-seats = Places
manage-public-page = Public page
manage-enrolments = Enrolments
manage-status-title = Change status
manage-status-hint = Publish a course once it has sessions. If you cancel a course, everyone enrolled or waiting gets an email.
manage-no-trainers = No trainers have been assigned yet.
course-new-title = New course
course-edit-title = Edit course
course-save = Save
back = Back
label-title = Title
label-status = Status
label-summary = Short summary
label-description = Description
label-waitlist = Waiting list when the course is full
label-deadline = Cancelling possible until (hours before the first session)
label-threshold = Certificate from (percent of the sessions)
label-date = Date
label-start-time = Start time
label-end-time = End time
label-place = Place
label-address = Address
label-online-url = Link to join online
label-name-nl = Name (Dutch)
label-name-en = Name (English)
label-description-nl = Explanation (Dutch)
label-description-en = Explanation (English)
label-retired = No longer use for new courses
hint-summary = One or two sentences. This shows in the list of courses.
hint-description = You can use Markdown: **bold**, *italic*, lists with - and links.
hint-audience = For example: residents who want to start a neighbourhood initiative.
hint-capacity = The largest number of participants.
hint-window = May stay empty. Time in the Netherlands.
hint-deadline = For example 24. After that only a coordinator can cancel someone.
hint-threshold = For example 80.
hint-date = For example 28-03-2027.
hint-place = The name of the building, for example Buurtcentrum De Oosterpoort.
hint-online-url = Only if people can also join online.
session-add = Add session
session-edit = Edit session
session-edit-intro = Do you change the time or place? Then everyone enrolled gets an email with the new details.
session-save = Save
session-cancel = Cancel the session of { $date }
trainer-assign-label = Trainer
trainer-assign = Assign trainer
trainer-remove = Remove { $name }
themes-title = Themes
themes-intro = Themes group the courses. The short name in the link (slug) always stays the same.
theme-retired = no longer in use
theme-save = Save { $name }
theme-new = New theme
theme-add = Add theme

flash-course-created = The course has been created. Now add sessions and publish it.
flash-publish-without-sessions = First add a session. After that you can publish the course.
flash-course-saved = The course has been saved.
flash-status-published = The course has been published.
flash-status-cancelled = The course has been cancelled. Everyone gets an email.
flash-status-archived = The course has been archived.
flash-session-added = The session has been added.
flash-session-saved = The session has been saved.
flash-session-cancelled = The session has been cancelled. Everyone gets an email.
flash-trainer-assigned = The trainer has been assigned.
flash-trainer-removed = The trainer has been removed.
flash-theme-saved = The theme has been saved.

field-number = Please enter a number.
field-theme-unknown = This theme does not exist.
field-theme-retired = This theme is no longer used. Please choose another theme.
field-slug-taken = There already is a theme with this name.
field-status-transition = From { $from } to { $to } is not possible.
field-status-new-course = A new course starts as a draft.
field-publish-without-sessions = First add a session. After that you can publish.
field-closes-before-opens = The end of enrolment must come after its start.
field-ends-before-start = The end time must come after the start time.
field-session-too-long = A session lasts at most 24 hours.
field-time-invalid = Enter a date and time, such as 2027-03-28T19:30.
field-date-invalid = Enter a valid date.
field-time-nonexistent = This time does not exist: the clocks go forward an hour then. Please choose another time.
field-month-invalid = Choose a month, such as 2027-03.
field-place-required = Enter a place, or a link to join online.
field-url-invalid = Enter a link that starts with https://.
field-not-a-trainer = This person is not a trainer. First give them the role trainer.
field-user-unknown = We do not know this person.
conflict-course-closed = This course has been cancelled or archived.
conflict-session-cancelled = This session has already been cancelled.
conflict-capacity-below-enrolled = { $enrolled } people are enrolled already. That is more than { $capacity } seats. Choose at least { $enrolled } seats, or cancel someone's enrolment first.
field-capacity-below-enrolled = { $enrolled } people are enrolled already: choose at least { $enrolled } seats (not { $capacity }), or cancel someone's enrolment first.

label-allow-past = Session in the past
session-allow-past = Yes, this session has already taken place. I am adding it for the records.
field-session-in-past = This date and time have already passed. Did the session already take place? Then tick "Yes, this session has already taken place". Otherwise choose a date still to come.
seats-taken-of = { $taken } of { $capacity } { $capacity ->
    [one] place
   *[other] places
  } taken{ $over ->
    [0] {""}
   *[other] {" "}({ $over } over capacity)
  }
clash-warning = Note: { $trainer } also gives { $course } at that time ({ $when }).
clash-own-warning = Note: at that time you also give { $course } ({ $when }).
trainer-choose = — choose a trainer —
field-trainer-required = Choose a trainer.
