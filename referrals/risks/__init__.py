"""Risk assessments of a case: the immediate one sexual violence needs, exploitation's own,
the case-by-case ones, and their reviews. A subpackage of referrals (its models keep the
referrals app label)."""
