"""The case plan: its actions, owners, due dates and reviews, and the case's close with its
outcomes. A subpackage of referrals (its models keep the referrals app label)."""
