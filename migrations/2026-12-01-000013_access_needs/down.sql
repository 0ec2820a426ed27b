DROP TRIGGER access_needs_on_withdrawal ON enrolments;
DROP FUNCTION access_needs_forget_on_withdrawal();
DROP TABLE access_needs_audit;
DROP TABLE access_needs;
