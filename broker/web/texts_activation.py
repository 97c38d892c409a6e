"""The console's words for activating a proposal, in English and Welsh (merged into ``texts``)."""

from __future__ import annotations

from broker.http.sentences import Language

__all__ = ["ACTIVATION_TEXTS"]

_EN = {
    "status_withdrawn": "Withdrawn",
    "confirm_schedule_title": "Check the time before you schedule the activation",
    "confirm_schedule_warning": "From the time below, the partners' routers share under the "
    "new rules.",
    "confirm_schedule_when": "Activation",
    "confirm_schedule_until": "Until then, sharing carries on under the current rules.",
    "confirm_schedule_cancel": "A DPO of any party can cancel the activation until it is due.",
    "confirm_schedule_changed": "If another change becomes the sharing policy first, this one "
    "is not activated.",
    "confirm_schedule_button": "Schedule the activation",
    "withdraw_link": "Withdraw this proposal",
    "withdraw_title": "Are you sure you want to withdraw this proposal?",
    "withdraw_body": "The other parties will no longer be asked to approve it, and it can "
    "never be activated. It stays in the history, marked as withdrawn. To make the change "
    "later, propose it again.",
    "withdraw_button": "Withdraw the proposal",
    "withdraw_refused": "This proposal cannot be withdrawn: only the DPO who made it can "
    "withdraw it, and only before its activation is scheduled.",
    "banner_withdrawn_title": "Withdrawn",
    "banner_withdrawn": "You withdrew this proposal. Nothing about what is shared changes.",
    "change_withdrawn": "Withdrawn by the proposer",
    "task_withdrawn": "Withdrawn",
    "task_state_withdrawn": "Withdrawn",
    "status_scheduled": "Activation scheduled",
    "status_activated": "Activated",
    "status_outdated": "Out of date",
    "activation_heading": "Activation",
    "activation_intro": "Every party has approved this proposal. Start it now, or choose when "
    "it should start. Before sharing changes, you are asked to confirm.",
    "activation_state": "State",
    "activation_state_scheduled": "Scheduled",
    "activation_state_publishing": "Being published",
    "activation_state_activated": "Activated",
    "activation_state_cancelled": "Cancelled",
    "activation_state_not_activated": "Not activated",
    "activation_due": "Time",
    "activation_requested_by": "Requested by",
    "activation_done": "Finished",
    "activation_due_now": "Due now: waiting to be published to the routers.",
    "activation_not_activated": "Another version became the sharing policy first, so this "
    "one was not activated. Propose the change again.",
    "at_time": "at",
    "uk_time": "UK time",
    "activate_now": "Activate now",
    "schedule_heading": "Or choose when",
    "date_legend": "Date",
    "date_hint": "For example, 27 3 2026",
    "time_legend": "Time (UK time, 24-hour clock)",
    "time_hint": "For example, 14 30",
    "day": "Day",
    "month": "Month",
    "year": "Year",
    "hour": "Hour",
    "minute": "Minute",
    "schedule_submit": "Schedule activation",
    "cancel_activation": "Cancel the scheduled activation",
    "activation_not_party": "Only the DPO of a party to this change can activate it.",
    "error_when_missing": "Enter the date and time to activate the proposal",
    "error_date_real": "The date must be a real date",
    "error_time_real": "Enter the time as an hour from 0 to 23 and minutes from 0 to 59",
    "error_time_gap": "That time does not exist on that day because the clocks go forward. "
    "Choose another time",
    "error_past": "The date and time must be in the future",
    "error_too_far": "The date and time must be within {days} days from now",
    "scenario_refused_title": "This proposal cannot be activated",
    "scenario_refused": "It fails a scenario of the sharing policy. Change the proposal so "
    "that every scenario passes.",
    "scenario": "Scenario",
    "activation_conflict": "This proposal can no longer be activated: it is already scheduled "
    "or activated, or the policy changed since it was made.",
    "banner_scheduled_title": "Activation scheduled",
    "banner_scheduled": "The proposal will be activated on",
    "banner_activated_title": "Activated",
    "banner_activated": "This proposal is the sharing policy now.",
    "banner_waiting": "Activation requested. The broker publishes it to the routers shortly.",
    "banner_cancelled_title": "Activation cancelled",
    "banner_cancelled": "The scheduled activation was cancelled. You can schedule it again.",
    "change_scheduled": "Activation scheduled for",
    "change_cancelled": "Scheduled activation cancelled",
}

_CY = {
    "status_withdrawn": "Wedi'i dynnu'n ôl",
    "confirm_schedule_title": "Gwiriwch yr amser cyn trefnu'r gweithredu",
    "confirm_schedule_warning": "O'r amser isod, bydd llwybryddion y partneriaid yn rhannu o "
    "dan y rheolau newydd.",
    "confirm_schedule_when": "Gweithredu",
    "confirm_schedule_until": "Tan hynny, mae'r rhannu'n parhau o dan y rheolau presennol.",
    "confirm_schedule_cancel": "Gall SDD unrhyw barti ganslo'r gweithredu tan yr amser hwnnw.",
    "confirm_schedule_changed": "Os daw newid arall yn bolisi rhannu yn gyntaf, ni fydd hwn "
    "yn cael ei weithredu.",
    "confirm_schedule_button": "Trefnu'r gweithredu",
    "withdraw_link": "Tynnu'r cynnig hwn yn ôl",
    "withdraw_title": "Ydych chi'n siŵr eich bod am dynnu'r cynnig hwn yn ôl?",
    "withdraw_body": "Ni fydd gofyn i'r partïon eraill ei gymeradwyo mwyach, ac ni ellir byth "
    "ei weithredu. Mae'n aros yn yr hanes, wedi'i nodi fel un a dynnwyd yn ôl. I wneud y newid "
    "yn nes ymlaen, cynigiwch ef eto.",
    "withdraw_button": "Tynnu'r cynnig yn ôl",
    "withdraw_refused": "Ni ellir tynnu'r cynnig hwn yn ôl: dim ond y SDD a'i gwnaeth all ei "
    "dynnu'n ôl, a dim ond cyn trefnu ei weithredu.",
    "banner_withdrawn_title": "Wedi'i dynnu'n ôl",
    "banner_withdrawn": "Rydych wedi tynnu'r cynnig hwn yn ôl. Nid oes dim yn newid o ran yr "
    "hyn sy'n cael ei rannu.",
    "change_withdrawn": "Tynnwyd yn ôl gan y cynigydd",
    "task_withdrawn": "Wedi'i dynnu'n ôl",
    "task_state_withdrawn": "Wedi'i dynnu'n ôl",
    "status_scheduled": "Gweithredu wedi'i drefnu",
    "status_activated": "Wedi'i weithredu",
    "status_outdated": "Wedi dyddio",
    "activation_heading": "Gweithredu",
    "activation_intro": "Mae pob parti wedi cymeradwyo'r cynnig hwn. Dechreuwch ef nawr, neu "
    "dewiswch pryd y dylai ddechrau. Cyn i'r rhannu newid, gofynnir i chi gadarnhau.",
    "activation_state": "Cyflwr",
    "activation_state_scheduled": "Wedi'i drefnu",
    "activation_state_publishing": "Wrthi'n cael ei gyhoeddi",
    "activation_state_activated": "Wedi'i weithredu",
    "activation_state_cancelled": "Wedi'i ganslo",
    "activation_state_not_activated": "Heb ei weithredu",
    "activation_due": "Amser",
    "activation_requested_by": "Gofynnwyd gan",
    "activation_done": "Wedi gorffen",
    "activation_due_now": "Yn ddyledus nawr: yn aros i gael ei gyhoeddi i'r llwybryddion.",
    "activation_not_activated": "Daeth fersiwn arall yn bolisi rhannu yn gyntaf, felly ni "
    "chafodd hwn ei weithredu. Cynigiwch y newid eto.",
    "at_time": "am",
    "uk_time": "amser y DU",
    "activate_now": "Gweithredu nawr",
    "schedule_heading": "Neu dewiswch pryd",
    "date_legend": "Dyddiad",
    "date_hint": "Er enghraifft, 27 3 2026",
    "time_legend": "Amser (amser y DU, cloc 24 awr)",
    "time_hint": "Er enghraifft, 14 30",
    "day": "Diwrnod",
    "month": "Mis",
    "year": "Blwyddyn",
    "hour": "Awr",
    "minute": "Munud",
    "schedule_submit": "Trefnu gweithredu",
    "cancel_activation": "Canslo'r gweithredu a drefnwyd",
    "activation_not_party": "Dim ond SDD un o bartïon y newid hwn all ei weithredu.",
    "error_when_missing": "Rhowch y dyddiad a'r amser i weithredu'r cynnig",
    "error_date_real": "Rhaid i'r dyddiad fod yn ddyddiad go iawn",
    "error_time_real": "Rhowch yr amser fel awr o 0 i 23 a munudau o 0 i 59",
    "error_time_gap": "Nid yw'r amser hwnnw'n bodoli ar y diwrnod hwnnw oherwydd bod y "
    "clociau'n mynd ymlaen. Dewiswch amser arall",
    "error_past": "Rhaid i'r dyddiad a'r amser fod yn y dyfodol",
    "error_too_far": "Rhaid i'r dyddiad a'r amser fod o fewn {days} diwrnod i nawr",
    "scenario_refused_title": "Ni ellir gweithredu'r cynnig hwn",
    "scenario_refused": "Mae'n methu un o senarios y polisi rhannu. Newidiwch y cynnig fel "
    "bod pob senario'n llwyddo.",
    "scenario": "Senario",
    "activation_conflict": "Ni ellir gweithredu'r cynnig hwn mwyach: mae eisoes wedi'i "
    "drefnu neu ei weithredu, neu mae'r polisi wedi newid ers ei wneud.",
    "banner_scheduled_title": "Gweithredu wedi'i drefnu",
    "banner_scheduled": "Bydd y cynnig yn cael ei weithredu ar",
    "banner_activated_title": "Wedi'i weithredu",
    "banner_activated": "Y cynnig hwn yw'r polisi rhannu nawr.",
    "banner_waiting": "Gofynnwyd am weithredu. Bydd y brocer yn ei gyhoeddi i'r llwybryddion "
    "cyn bo hir.",
    "banner_cancelled_title": "Gweithredu wedi'i ganslo",
    "banner_cancelled": "Cafodd y gweithredu a drefnwyd ei ganslo. Gallwch ei drefnu eto.",
    "change_scheduled": "Trefnwyd gweithredu ar gyfer",
    "change_cancelled": "Canslwyd y gweithredu a drefnwyd",
}

ACTIVATION_TEXTS: dict[Language, dict[str, str]] = {"en": _EN, "cy": _CY}
