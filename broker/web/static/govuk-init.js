// Starts GOV.UK Frontend's components (skip link, buttons, error summaries, navigation).
import { initAll } from "/govuk/govuk-frontend.min.js";

initAll();
