-- PostgreSQL cannot drop one value of an enum: make the type again without it. A walk-in
-- becomes a plain enrolment in the history.
ALTER TYPE enrolment_action RENAME TO enrolment_action_old;
CREATE TYPE enrolment_action AS ENUM ('enrolled', 'waitlisted', 'promoted', 'cancelled', 'left_waitlist');
ALTER TABLE enrolment_events ALTER COLUMN action TYPE enrolment_action
    USING (CASE WHEN action::text = 'walk_in' THEN 'enrolled' ELSE action::text END)::enrolment_action;
DROP TYPE enrolment_action_old;
