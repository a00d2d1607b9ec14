// What to tell people when the API says no: by extensions.code, in their language.
import { ApiError } from "./api.js";
import { has, t } from "./i18n.js";

// `context` picks a more precise sentence where one exists ("vote_FORBIDDEN" before "err_FORBIDDEN").
export function errorText(error, context = "") {
  if (!(error instanceof ApiError)) return t("err_INTERNAL_SERVER_ERROR");
  const { code } = error;
  if (context && has(`${context}_${code}`)) return t(`${context}_${code}`);
  if (code === "RATE_LIMITED" && error.retryAfter) return t("err_RATE_LIMITED_in", { n: error.retryAfter });
  if (has(`err_${code}`)) return t(`err_${code}`);
  return error.message;
}
