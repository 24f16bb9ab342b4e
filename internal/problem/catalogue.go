package problem

import "sort"

// Meaning is what a problem code means, for the published catalogue (docs/errors.md
// and the `code` enum of the OpenAPI document's Problem schema).
type Meaning struct {
	// Status is the HTTP status the code comes with.
	Status int
	// En and Zh are the meaning in English and in Chinese (zh-CN).
	En, Zh string
}

// Catalogue lists every problem code the server sends. cmd/openapi's tests fail when
// the code base uses a code missing here (or this lists one nothing uses): add the
// code with its meaning in both languages, then run `make openapi`.
var Catalogue = map[string]Meaning{
	// Common codes (this package).
	CodeBadRequest:          {400, "The request cannot be understood (a bad header, parameter or body).", "请求无法解析（请求头、参数或请求体有误）。"},
	CodeMalformedJSON:       {400, "The body is not one well-formed JSON value.", "请求体不是一个格式正确的 JSON 值。"},
	CodeUnauthorized:        {401, "No credentials, or they are invalid or expired: log in again.", "未提供凭据，或凭据无效、已过期：请重新登录。"},
	CodeForbidden:           {403, "The caller sees the object but may not do this.", "可以查看该对象，但无权执行此操作。"},
	CodeNotFound:            {404, "No such object, or it is not visible to the caller.", "对象不存在，或当前用户无权查看。"},
	CodeMethodNotAllowed:    {405, "This method is not allowed on this resource.", "该资源不支持此请求方法。"},
	CodeConflict:            {409, "The object's state does not allow this now.", "对象当前的状态不允许此操作。"},
	CodeInvalidTransition:   {409, "The action is not allowed in the object's current state; `state` and `allowed_actions` say what is.", "对象当前状态下不允许此操作；`state` 和 `allowed_actions` 给出当前状态及可执行的操作。"},
	CodePreconditionFailed:  {412, "If-Match names an older version: reload the object and retry; `current_version` is the current one.", "If-Match 中的版本已过时：请重新加载后重试；`current_version` 为当前版本。"},
	CodePreconditionNeeded:  {428, "This change needs an If-Match header with the object's version.", "此修改需要带有对象版本的 If-Match 请求头。"},
	CodeTooLarge:            {413, "The body is larger than accepted.", "请求体超过允许的大小。"},
	CodeUnsupportedMedia:    {415, "The body is not of a type this operation reads.", "该操作不接受此类型的请求体。"},
	CodeValidation:          {422, "Some fields are invalid; `errors` lists them by field.", "部分字段无效；`errors` 按字段列出。"},
	CodeRateLimited:         {429, "Too many requests; retry after `retry_after` seconds (also the Retry-After header).", "请求过于频繁；请在 `retry_after` 秒后重试（亦见 Retry-After 响应头）。"},
	CodeInternal:            {500, "An unexpected error; quote `request_id` when reporting it.", "服务器内部错误；报告时请提供 `request_id`。"},
	CodeUnavailable:         {503, "The server cannot answer now (database unavailable, busy or too slow); retry after Retry-After.", "服务暂不可用（数据库不可用、繁忙或超时）；请按 Retry-After 稍后重试。"},
	"client_closed_request": {499, "The client went away before the answer (recorded in logs only).", "客户端在响应前断开了连接（仅记录于日志）。"},

	// Authentication and accounts.
	"invalid_credentials":           {401, "The username or password is wrong.", "用户名或密码错误。"},
	"invalid_login_code":            {401, "The one-time login code is unknown, used or expired.", "一次性登录码无效、已使用或已过期。"},
	"insufficient_scope":            {403, "The API token lacks the scope this route needs (named in missing_scope).", "API 令牌缺少此接口所需的权限范围（见 missing_scope）。"},
	"service_account_has_activity":  {409, "The service account has acted; disable it instead of deleting it.", "该服务账号已有操作记录，不能删除，请停用。"},
	"service_account_disabled":      {409, "The service account is disabled; enable it first.", "该服务账号已停用，请先启用。"},
	"session_required":              {403, "The action needs a login session, not an API token.", "此操作需要登录会话，不能使用 API 令牌。"},
	"password_change_required":      {403, "The password must be changed before anything else.", "必须先修改密码才能继续操作。"},
	"password_login_disabled":       {403, "Password login is turned off for this account or deployment; use single sign-on.", "此账号或部署已禁用密码登录；请使用单点登录。"},
	"too_many_tokens":               {409, "The user already has the maximum number of active API tokens.", "该用户的有效 API 令牌已达上限。"},
	"cross_site_request":            {403, "A refresh or logout with the session cookie came from another site or without the X-Requested-With header.", "使用会话 Cookie 的刷新或退出请求来自其他站点，或缺少 X-Requested-With 请求头。"},
	"login_busy":                    {503, "Too many logins are being checked at once; retry shortly.", "同时进行的登录校验过多；请稍后重试。"},
	"sso_not_configured":            {404, "The login method asked for is not configured.", "所请求的登录方式未配置。"},
	"identity_provider_unavailable": {503, "The identity provider or directory did not answer.", "身份提供方或目录服务无响应。"},
	"username_taken":                {409, "The username is taken.", "用户名已被占用。"},
	"self_lockout":                  {409, "You cannot deactivate your own account or remove your own admin role.", "不能停用自己的账号或取消自己的管理员角色。"},
	"last_admin":                    {409, "This is the last active admin; make another user admin first.", "这是最后一个有效的管理员；请先将其他用户设为管理员。"},

	// Organisation and directory sync.
	"unit_in_use":         {409, "The unit is in use (people, items or sub-units); `reasons` lists how.", "该单位仍在使用中（人员、事项或下级单位）；`reasons` 列出原因。"},
	"import_invalid":      {422, "The workbook has errors and nothing was imported; `report` lists them by row and column.", "工作簿有错误，未导入任何内容；`report` 按行列列出错误。"},
	"not_a_workbook":      {422, "The upload is not an .xlsx workbook with the expected sheets.", "上传的文件不是包含所需工作表的 .xlsx 工作簿。"},
	"sync_not_configured": {404, "The directory sync is not configured.", "未配置目录同步。"},

	// Items and their follow-up.
	"item_changed":               {409, "The item changed while the request ran; reload it and retry.", "请求处理期间事项已被修改；请重新加载后重试。"},
	"item_has_sub_items":         {409, "A draft with sub-items cannot be deleted.", "含有子事项的草稿不能删除。"},
	"no_warning":                 {409, "The item shows no warning light to clear.", "该事项没有可摘除的预警灯。"},
	"deadline_passed":            {409, "The deadline has passed: an extension can no longer be requested; the supervision office can have a leader set a new deadline.", "已过办理期限，不能再申请延期；可由督办处请领导重新设定期限。"},
	"not_overdue":                {409, "The item is not overdue, so no new deadline can be set.", "事项未逾期，不能重新设定期限。"},
	"extension_pending":          {409, "The item already has an open extension request; wait for its decision.", "该事项已有待审批的延期申请；请等待审批结果。"},
	"extension_changed":          {409, "The extension request changed while the request ran; reload it and retry.", "请求处理期间延期申请已被修改；请重新加载后重试。"},
	"completion_pending":         {409, "The item already has an open completion request.", "该事项已有待审核的办结申请。"},
	"completion_request_changed": {409, "The completion request changed while the request ran; reload it and retry.", "请求处理期间办结申请已被修改；请重新加载后重试。"},
	"feedback_open_exists":       {409, "The unit already has a feedback in the works on this item; edit that one.", "该单位在此事项上已有未完成的反馈；请编辑该反馈。"},
	"feedback_changed":           {409, "The feedback changed while the request ran; reload it and retry.", "请求处理期间反馈已被修改；请重新加载后重试。"},
	"assignment_not_live":        {409, "The unit's assignment on this item was returned; it no longer reports on it.", "该单位在此事项上的分办已被退回，不再需要反馈。"},

	// Reporting.
	"assessment_published": {409, "The assessment of this period is already published.", "该周期的考核结果已发布。"},
	"bulletin_published":   {409, "The bulletin is already published and can no longer change.", "通报已发布，不能再修改。"},

	// Files and imports.
	"insufficient_storage":  {507, "The server has no room to keep the upload.", "服务器存储空间不足，无法保存上传的文件。"},
	"upload_quota_exceeded": {429, "The user uploaded their quota in the last 24 hours.", "该用户最近 24 小时的上传量已达上限。"},
	"item_quota_exceeded":   {413, "The item's files hold their quota.", "该事项的附件总量已达上限。"},
	"import_not_xlsx":       {422, "The upload is not an .xlsx workbook.", "上传的文件不是 .xlsx 工作簿。"},
	"import_wrong_template": {422, "The workbook does not follow the import template.", "工作簿不符合导入模板。"},
	"import_too_many_rows":  {422, "The workbook has more rows than one import takes.", "工作簿行数超过单次导入上限。"},
	"import_too_large":      {413, "The workbook is larger than accepted.", "工作簿超过允许的大小。"},
	"import_invalid_rows":   {422, "Some rows are invalid and nothing was imported; `row_errors` lists them.", "部分行无效，未导入任何内容；`row_errors` 列出错误。"},
	"import_empty":          {422, "The workbook has no rows to import.", "工作簿中没有可导入的行。"},

	// Idempotency-Key.
	"idempotency_in_progress":       {409, "The first request with this Idempotency-Key is still running; retry later.", "使用此 Idempotency-Key 的首个请求仍在处理；请稍后重试。"},
	"idempotency_key_reused":        {422, "The Idempotency-Key was used before with a different request.", "此 Idempotency-Key 已用于另一个不同的请求。"},
	"idempotency_key_invalid":       {400, "The Idempotency-Key is too long or not printable ASCII.", "Idempotency-Key 过长或含有非可打印 ASCII 字符。"},
	"idempotency_response_withheld": {409, "The first request with this key succeeded, but its answer held a secret, which is never stored.", "使用此键的首个请求已成功，但其响应含有密钥，不予保存和重放。"},

	// Webhooks.
	"webhook_disabled": {409, "The webhook subscription is disabled; enable it before redelivering.", "该 Webhook 订阅已停用；请先启用再重新投递。"},

	// Delegation (代理) and handover on departures.
	"nothing_to_delegate": {403, "The caller holds no approvals or decisions to delegate.", "当前用户没有可委托代理的审批或决定权。"},
	"delegation_overlaps": {409, "Another delegation of the caller covers part of this period; end it first.", "该时段与已有的代理委托重叠；请先结束原委托。"},
	"delegation_over":     {409, "The delegation is already over.", "该代理委托已结束。"},
	"successor_required":  {409, "The person holds a post that has no default successor; name one in the request.", "此人担任的职责没有默认接替人；请在请求中指定接替人。"},
}

// Codes returns the catalogue's codes, sorted.
func Codes() []string {
	out := make([]string, 0, len(Catalogue))
	for c := range Catalogue {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
