"""The console's words for the form editor of one rule and the console's footer, in English
and Welsh (merged into ``texts``)."""

from __future__ import annotations

from broker.http.sentences import Language

__all__ = ["RULE_FORM_TEXTS"]

_EN = {
    "form_title": "Change a rule",
    "form_intro": "Choose what this rule should say. When you continue, you can check the "
    "change in words before you send it to the other parties.",
    "form_change_link": "Change this rule",
    "form_back_rule": "Back to the rule",
    "form_back": "Back to the form",
    "form_from": "Shared by",
    "form_to_legend": "Who receives it",
    "form_events_legend": "Which events",
    "form_fields_legend": "Which details are shared",
    "form_details_offered": "{count} details offered for the ticked events",
    "form_fields_hint": "The details of the events ticked above. Share only what the "
    "recipient needs for the purpose.",
    "form_transforms_heading": "How each detail is sent",
    "form_transforms_hint": "Only the details ticked above are sent.",
    "form_purpose_legend": "What it is for",
    "form_legal_basis_legend": "Under which law",
    "form_retention_legend": "How long the recipient keeps it",
    "form_retention_hint": "In years and months, for example 2 and 0.",
    "form_retention_written": "Written in the agreement as",
    "form_years": "Years",
    "form_months": "Months",
    "form_condition_legend": "When it is shared",
    "form_cohort_hint": "Only for people in these IOM cohorts. Leave all unticked to share "
    "for everyone the rule covers.",
    "form_consent_label": "Only while the person has consented to sharing for this purpose",
    "form_other_label": "Other condition (for experts)",
    "form_other_hint": "Written as in the agreement file. Leave it empty if there is none.",
    "form_other_words": "In words",
    "form_yaml_link": "Change the agreement text instead (for experts)",
    "form_to_missing": "Select who receives it",
    "form_events_missing": "Select at least one event",
    "form_fields_missing": "Select at least one detail",
    "form_retention_number": "Enter the years and months as whole numbers, like 2 and 0",
    "form_retention_missing": "Enter how long the recipient keeps it",
    "console_footer_cookies": "Cookies",
    "console_footer_api": "API reference (for scripts)",
}

_CY = {
    "form_title": "Newid rheol",
    "form_intro": "Dewiswch beth ddylai'r rheol hon ei ddweud. Pan fyddwch yn parhau, gallwch "
    "wirio'r newid mewn geiriau cyn ei anfon at y partïon eraill.",
    "form_change_link": "Newid y rheol hon",
    "form_back_rule": "Yn ôl i'r rheol",
    "form_back": "Yn ôl i'r ffurflen",
    "form_from": "Yn cael ei rannu gan",
    "form_to_legend": "Pwy sy'n ei gael",
    "form_events_legend": "Pa ddigwyddiadau",
    "form_fields_legend": "Pa fanylion sy'n cael eu rhannu",
    "form_details_offered": "{count} o fanylion ar gael ar gyfer y digwyddiadau a diciwyd",
    "form_fields_hint": "Manylion y digwyddiadau a diciwyd uchod. Rhannwch dim ond yr hyn "
    "sydd ei angen ar y derbynnydd at y diben.",
    "form_transforms_heading": "Sut mae pob manylyn yn cael ei anfon",
    "form_transforms_hint": "Dim ond y manylion a diciwyd uchod sy'n cael eu hanfon.",
    "form_purpose_legend": "I beth mae'n cael ei ddefnyddio",
    "form_legal_basis_legend": "O dan ba gyfraith",
    "form_retention_legend": "Am ba hyd mae'r derbynnydd yn ei gadw",
    "form_retention_hint": "Mewn blynyddoedd a misoedd, er enghraifft 2 a 0.",
    "form_retention_written": "Wedi'i ysgrifennu yn y cytundeb fel",
    "form_years": "Blynyddoedd",
    "form_months": "Misoedd",
    "form_condition_legend": "Pryd mae'n cael ei rannu",
    "form_cohort_hint": "Dim ond ar gyfer pobl yn y carfanau IOM hyn. Peidiwch â thicio dim i "
    "rannu ar gyfer pawb y mae'r rheol yn eu cynnwys.",
    "form_consent_label": "Dim ond tra bo'r unigolyn wedi cydsynio i rannu at y diben hwn",
    "form_other_label": "Amod arall (i arbenigwyr)",
    "form_other_hint": "Wedi'i ysgrifennu fel yn ffeil y cytundeb. Gadewch yn wag os nad oes un.",
    "form_other_words": "Mewn geiriau",
    "form_yaml_link": "Newid testun y cytundeb yn lle hynny (i arbenigwyr)",
    "form_to_missing": "Dewiswch pwy sy'n ei gael",
    "form_events_missing": "Dewiswch o leiaf un digwyddiad",
    "form_fields_missing": "Dewiswch o leiaf un manylyn",
    "form_retention_number": "Rhowch y blynyddoedd a'r misoedd fel rhifau cyfan, fel 2 a 0",
    "form_retention_missing": "Rhowch am ba hyd mae'r derbynnydd yn ei gadw",
    "console_footer_cookies": "Cwcis",
    "console_footer_api": "Cyfeirnod yr API (ar gyfer sgriptiau)",
}

RULE_FORM_TEXTS: dict[Language, dict[str, str]] = {"en": _EN, "cy": _CY}
