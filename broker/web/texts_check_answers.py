"""The console's words for the reason for change, the check-answers and confirmation pages,
a proposal's progress (task list) and the history's names and links, in English and Welsh
(merged into ``texts``)."""

from __future__ import annotations

from broker.http.sentences import Language

__all__ = ["CHECK_ANSWERS_TEXTS"]

_EN = {
    "reason_label": "Reason for change",
    "reason_hint": "Say why this change is needed, in a sentence or two. The other parties' "
    "DPOs read it before they approve, and it is kept with the proposal.",
    "reason_missing": "Enter the reason for this change",
    "reason_too_long": "The reason must be 1,000 characters or fewer",
    "reason_none": "Not given (proposed before reasons were asked for)",
    "editor_continue": "Continue",
    "check_proposal_title": "Check your proposal before sending it",
    "check_back": "Back to the agreement text",
    "check_agreements": "Agreement",
    "check_who_approves": "Who must approve it",
    "check_not_alone": "Your own approval is not enough: at least one other party must approve.",
    "check_send_heading": "Now send your proposal",
    "check_send_body": "When you send it, the data protection officer of each party above is "
    "asked to approve it. Nothing about what is shared changes until every party has approved "
    "it and someone activates it.",
    "check_approval_title": "Check the change before you approve it",
    "check_back_proposal": "Back to the proposal",
    "check_approving_for": "You are approving for",
    "check_still_waiting": "Still to approve after you",
    "check_nobody_else": "Nobody: your approval is the last one needed.",
    "check_approve_heading": "Approve the change",
    "check_approve_body": "By approving, you confirm that you have read what this change does "
    "and that it is lawful and necessary for",
    "check_cancel": "Cancel",
    "check_and_approve": "Check and approve",
    "check_approved_by": "Approved by",
    "confirm_activation_title": "Are you sure you want to start this change now?",
    "warning": "Warning",
    "confirm_activation_warning": "This changes what is shared about real people, straight away.",
    "confirm_activation_now": "Within seconds of confirming, every router starts deciding "
    "with the new rules. From then on, partners receive exactly what the new rules allow.",
    "confirm_activation_past": "Nothing already shared is changed or taken back.",
    "confirm_activation_undo": "To go back, someone must propose the old rules again, and "
    "every party must approve them.",
    "confirm_activation_button": "Yes, start sharing under the new rules now",
    "account": "account",
    "task_heading": "Progress",
    "task_proposed": "Proposed",
    "task_approved": "Approval by",
    "task_scheduled": "Activation asked for",
    "task_active": "Sharing under the new rules",
    "task_by": "by",
    "task_for": "For",
    "task_state_done": "Completed",
    "task_state_waiting": "Waiting",
    "task_state_cannot_start": "Cannot start yet",
    "task_state_cancelled": "Cancelled",
    "task_state_not_activated": "Not activated",
    "task_state_outdated": "Out of date",
    "history_proposal": "Proposal",
    "history_change_link": "What this change does",
}

_CY = {
    "reason_label": "Rheswm dros y newid",
    "reason_hint": "Dywedwch pam mae angen y newid hwn, mewn brawddeg neu ddwy. Mae SDD y "
    "partïon eraill yn ei ddarllen cyn cymeradwyo, ac fe'i cedwir gyda'r cynnig.",
    "reason_missing": "Rhowch y rheswm dros y newid hwn",
    "reason_too_long": "Rhaid i'r rheswm fod yn 1,000 o nodau neu lai",
    "reason_none": "Heb ei roi (cynigiwyd cyn gofyn am resymau)",
    "editor_continue": "Parhau",
    "check_proposal_title": "Gwiriwch eich cynnig cyn ei anfon",
    "check_back": "Yn ôl at destun y cytundeb",
    "check_agreements": "Cytundeb",
    "check_who_approves": "Pwy sy'n gorfod ei gymeradwyo",
    "check_not_alone": "Nid yw eich cymeradwyaeth chi yn ddigon: rhaid i o leiaf un parti arall "
    "gymeradwyo.",
    "check_send_heading": "Nawr anfonwch eich cynnig",
    "check_send_body": "Pan fyddwch yn ei anfon, gofynnir i swyddog diogelu data pob parti "
    "uchod ei gymeradwyo. Nid oes dim yn newid yn yr hyn a rennir nes bod pob parti wedi ei "
    "gymeradwyo a bod rhywun yn ei weithredu.",
    "check_approval_title": "Gwiriwch y newid cyn i chi ei gymeradwyo",
    "check_back_proposal": "Yn ôl at y cynnig",
    "check_approving_for": "Rydych yn cymeradwyo ar gyfer",
    "check_still_waiting": "I gymeradwyo ar eich ôl",
    "check_nobody_else": "Neb: eich cymeradwyaeth chi yw'r un olaf sydd ei hangen.",
    "check_approve_heading": "Cymeradwyo'r newid",
    "check_approve_body": "Drwy gymeradwyo, rydych yn cadarnhau eich bod wedi darllen beth mae'r "
    "newid hwn yn ei wneud a'i fod yn gyfreithlon ac yn angenrheidiol ar gyfer",
    "check_cancel": "Canslo",
    "check_and_approve": "Gwirio a chymeradwyo",
    "check_approved_by": "Cymeradwywyd gan",
    "confirm_activation_title": "Ydych chi'n siŵr eich bod am ddechrau'r newid hwn nawr?",
    "warning": "Rhybudd",
    "confirm_activation_warning": "Mae hyn yn newid yr hyn a rennir am bobl go iawn, ar unwaith.",
    "confirm_activation_now": "O fewn eiliadau i gadarnhau, mae pob llwybrydd yn dechrau "
    "penderfynu gyda'r rheolau newydd. O hynny ymlaen, mae partneriaid yn cael yn union yr hyn "
    "y mae'r rheolau newydd yn ei ganiatáu.",
    "confirm_activation_past": "Nid oes dim a rannwyd eisoes yn cael ei newid na'i gymryd yn ôl.",
    "confirm_activation_undo": "I fynd yn ôl, rhaid i rywun gynnig yr hen reolau eto, a rhaid i "
    "bob parti eu cymeradwyo.",
    "confirm_activation_button": "Ydw, dechrau rhannu o dan y rheolau newydd nawr",
    "account": "cyfrif",
    "task_heading": "Cynnydd",
    "task_proposed": "Cynigiwyd",
    "task_approved": "Cymeradwyaeth gan",
    "task_scheduled": "Gofynnwyd am weithredu",
    "task_active": "Rhannu o dan y rheolau newydd",
    "task_by": "gan",
    "task_for": "Ar gyfer",
    "task_state_done": "Wedi'i gwblhau",
    "task_state_waiting": "Yn aros",
    "task_state_cannot_start": "Methu dechrau eto",
    "task_state_cancelled": "Wedi'i ganslo",
    "task_state_not_activated": "Heb ei weithredu",
    "task_state_outdated": "Wedi dyddio",
    "history_proposal": "Cynnig",
    "history_change_link": "Beth mae'r newid hwn yn ei wneud",
}

CHECK_ANSWERS_TEXTS: dict[Language, dict[str, str]] = {"en": _EN, "cy": _CY}
