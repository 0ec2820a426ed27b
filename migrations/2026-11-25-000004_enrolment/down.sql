DROP TABLE enrolment_events;
DROP TABLE enrolments;
DROP TYPE enrolment_status;
DROP TYPE enrolment_action;
