DROP VIEW enrolment_spans;
