# The offer of a freed seat (issue 18).
offer-conflict-no-offer = There is no offer waiting for you in this course.
offer-conflict-expired = The offer has expired. The seat goes to the next person on the waiting list.
offer-conflict-cannot-extend = It cannot run longer: an offer ends at the latest 2 hours before the next session.

offer-mail-subject = A seat is free for you: { $course }
offer-mail-intro = Good news! A seat has become free in { $course }. We keep it for you until { $deadline }.
offer-mail-deadline = Answer before
offer-mail-choose = Do you want the seat? Click the button and choose "I take the seat". Can't you come? Choose "I don't want the seat", so the next person on the waiting list gets the chance.
offer-mail-action = See the offer
offer-mail-no-answer = If you do not answer in time, the seat goes to the next person. You stay on the waiting list, at the end.
offer-mail-expired-subject = Your offer has expired: { $course }
offer-mail-expired-intro = You did not answer the offer for { $course } in time. The seat goes to the next person on the waiting list. You stay on the waiting list, at the end.
offer-mail-withdrawn-subject = The offer was withdrawn: { $course }
offer-mail-withdrawn-intro = The coordinator has withdrawn the offer for { $course }. You stay on the waiting list, at the end.

offer-seat-free = A seat is free for you in { $course }.
offer-runs-until = Offer open until { $deadline }.
offer-accept = I take the seat
offer-decline-or-more = I don't want the seat
offer-page-title = A seat for you: { $course }
offer-decline-title = Don't want the seat?
offer-decline-question = Do you want to stay on the waiting list?
offer-decline-stay = Yes, put me at the end of the waiting list
offer-decline-leave = No, take me off the waiting list
offer-decline = I don't want the seat
offer-not-open = There is no offer waiting for you at the moment.

offer-manage-runs-until = offer open until { $deadline }
offer-manage-extend-label = More time for { $name }
offer-manage-hours = { $count } hours
offer-manage-extend = Extend the offer to { $name }
offer-manage-withdraw = Withdraw the offer to { $name }
offer-manage-open-count = { $count ->
    [one] 1 seat offered
   *[other] { $count } seats offered
}
offer-note-stays = stays on the waiting list
offer-note-leaves = leaves the waiting list
offer-note-extended = deadline extended

offer-form-mode = When a seat becomes free
offer-form-mode-automatic = The first on the waiting list gets the seat at once
offer-form-mode-offer = The first on the waiting list gets an offer to accept
offer-form-hours = How many hours does someone have to answer?
offer-form-hours-hint = From 1 to 168 hours (a week). Shortly before the course it is less.

action-offered = seat offered
action-offer_accepted = offer accepted
action-offer_declined = offer declined
action-offer_expired = offer expired
action-offer_withdrawn = offer withdrawn
enrolment-status-offered = Seat offered

flash-offer-accepted = The seat is yours. You will get a confirmation by email.
flash-offer-declined = You declined the seat and are no longer on the waiting list.
flash-offer-declined-stay = You declined the seat. You are still on the waiting list, at the end.
flash-offer-extended = The offer now runs longer.
flash-offer-withdrawn = The offer was withdrawn. The seat goes to the next person.

offer-conflict-no-free-seat = There is no free seat right now. You stay on the waiting list.
offer-link-title = This link no longer works
offer-link-wrong = This link does not belong to this offer. Check that you used the whole link from the email.
offer-link-expired = The offer has expired. The seat went to the next person on the waiting list.
offer-link-used = You have already answered this offer. A link from the email works only once.
offer-link-nothing-changed = Nothing has changed. Log in to see where your enrolment stands.
offer-free-seat = A seat is free in { $course }. Do you want it? You can take it right away.
offer-take-free-seat = Take the free seat
flash-offer-free-seat-taken = The seat is yours. You will get a confirmation by email.
offer-manage-hours-label = More time for the offer
