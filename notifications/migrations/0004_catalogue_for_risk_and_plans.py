"""Bring existing authorities' catalogue rows for risk assessments, self-assessments and
plans up to the records built for them. Those rows waited, inactive, while their models did
not exist, so no clock ever ran from them: their definitions are replaced (periods,
reminders and targets an administrator set are kept) and the new six-monthly plan review
row is added."""

from django.db import migrations

# The rows as notifications/data/timescales.json had them when this migration was written,
# frozen here so that replaying it never depends on the live file (a renamed key there must
# not break a new database).
ROWS = {'immediate_risk_assessment': {'name': 'Immediate risk and needs assessment',
                               'model': 'referrals.riskassessment',
                               'running_states': ['required'],
                               'met_states': ['completed', 'not_required'],
                               'condition': {'field': 'kind', 'any_of': ['immediate']},
                               'period': 1,
                               'period_unit': 'working_days',
                               'owner_role': 'dsl',
                               'reminder_days': 0,
                               'escalation_days': 1,
                               'target_percent': 100,
                               'source': 'DfE, Sexual violence and sexual harassment between '
                                         'children in schools and colleges (2018), para 58: an '
                                         'immediate risk and needs assessment'},
 'exploitation_risk_assessment': {'name': 'Exploitation risk assessment',
                                  'model': 'referrals.riskassessment',
                                  'running_states': ['required'],
                                  'met_states': ['completed', 'not_required'],
                                  'condition': {'field': 'kind', 'any_of': ['exploitation']},
                                  'period': 5,
                                  'period_unit': 'working_days',
                                  'owner_role': 'lead',
                                  'reminder_days': 2,
                                  'escalation_days': 1,
                                  'target_percent': 95,
                                  'source': 'Council improvement plan target: exploitation '
                                            'risk assessments within 5 working days'},
 'risk_assessment_review': {'name': 'Risk assessment review',
                            'model': 'referrals.riskassessment',
                            'running_states': ['completed'],
                            'met_states': ['closed'],
                            'period': 20,
                            'period_unit': 'working_days',
                            'owner_role': 'lead',
                            'reminder_days': 5,
                            'escalation_days': 2,
                            'target_percent': 95,
                            'source': 'DfE advice para 59: risk assessments kept under review; '
                                      'risk management meetings every 4 weeks'},
 'self_assessment': {'name': 'Beyond Referrals self-assessment',
                     'model': 'self_assessments.selfassessment',
                     'running_states': ['in_progress'],
                     'met_states': ['submitted', 'reviewed', 'closed'],
                     'period': 30,
                     'period_unit': 'working_days',
                     'owner_role': 'dsl',
                     'reminder_days': 5,
                     'escalation_days': 5,
                     'target_percent': 90,
                     'source': 'Local timescale'},
 'plan_agreed': {'name': 'Plan agreed',
                 'model': 'referrals.caseplan',
                 'running_states': ['drafting'],
                 'met_states': ['agreed'],
                 'period': 10,
                 'period_unit': 'working_days',
                 'owner_role': 'lead',
                 'reminder_days': 3,
                 'escalation_days': 2,
                 'target_percent': 95,
                 'source': 'As a core group: a plan agreed within 10 working days of the '
                           'assessment, summit or meeting'},
 'plan_review': {'name': 'Plan review',
                 'model': 'referrals.caseplan',
                 'running_states': ['agreed'],
                 'met_states': ['reviewed', 'closed'],
                 'period': 3,
                 'period_unit': 'months',
                 'owner_role': 'lead',
                 'reminder_days': 10,
                 'escalation_days': 5,
                 'target_percent': 95,
                 'source': 'As child protection review conferences: first within 3 months, '
                           'then every 6 months'},
 'plan_review_next': {'name': 'Plan review (six-monthly)',
                      'model': 'referrals.caseplan',
                      'running_states': ['reviewed'],
                      'met_states': ['closed'],
                      'period': 6,
                      'period_unit': 'months',
                      'owner_role': 'lead',
                      'reminder_days': 10,
                      'escalation_days': 5,
                      'target_percent': 95,
                      'source': 'As child protection review conferences: after the first, '
                                'every 6 months'},
 'plan_action': {'name': 'Plan action',
                 'model': 'referrals.planaction',
                 'running_states': ['open'],
                 'met_states': ['done'],
                 'anchor': 'due_on',
                 'period': 0,
                 'period_unit': 'working_days',
                 'owner_role': 'owner',
                 'reminder_days': 3,
                 'escalation_days': 5,
                 'target_percent': 90,
                 'source': "Each action's own due date"}}
REPLACED = [
    "immediate_risk_assessment",
    "exploitation_risk_assessment",
    "risk_assessment_review",
    "self_assessment",
    "plan_agreed",
    "plan_review",
    "plan_action",
]
DEFINITION = ["model", "running_states", "met_states", "condition", "anchor", "owner_role"]
ROW_FIELDS = DEFINITION + [
    "name",
    "period",
    "period_unit",
    "reminder_days",
    "escalation_days",
    "target_percent",
    "source",
]


def forwards(apps, schema_editor):
    Timescale = apps.get_model("notifications", "Timescale")
    rows = ROWS
    authorities = set(Timescale.objects.values_list("authority_id", flat=True))
    for timescale in Timescale.objects.filter(key__in=REPLACED):
        row = rows[timescale.key]
        for field in DEFINITION:
            setattr(timescale, field, row.get(field, {} if field == "condition" else ""))
        timescale.save()
    new = rows["plan_review_next"]
    for authority_id in authorities:
        Timescale.objects.get_or_create(
            authority_id=authority_id,
            key="plan_review_next",
            defaults={f: new[f] for f in ROW_FIELDS if f in new},
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_owner_role_owner")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
