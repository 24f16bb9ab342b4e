package attachments

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// AttachmentResponse describes an uploaded file.
type AttachmentResponse struct {
	ID          string    `json:"id" format:"uuid"`
	ItemID      string    `json:"item_id" format:"uuid"`
	Filename    string    `json:"filename" example:"整改方案.pdf"`
	ContentType string    `json:"content_type" example:"application/pdf"`
	Size        int64     `json:"size" example:"102400"`
	SHA256      string    `json:"sha256"`
	OwnerType   string    `json:"owner_type" example:"feedback"`
	OwnerID     *string   `json:"owner_id" format:"uuid"`
	UploadedBy  string    `json:"uploaded_by" format:"uuid"`
	CreatedAt   time.Time `json:"created_at" format:"date-time"`
	ContentURL  string    `json:"content_url" example:"/api/v1/attachments/0190.../content"`
} // @name Attachment

// ToResponse converts the model for the wire.
func ToResponse(a *Attachment) AttachmentResponse {
	r := AttachmentResponse{
		ID: a.ID.String(), ItemID: a.ItemID.String(), Filename: a.Filename, ContentType: a.ContentType,
		Size: a.Size, SHA256: a.SHA256, OwnerType: a.OwnerType, UploadedBy: a.UploadedBy.String(),
		CreatedAt: a.CreatedAt, ContentURL: httpserver.APIPrefix + "/attachments/" + a.ID.String() + "/content",
	}
	if a.OwnerID != nil {
		s := a.OwnerID.String()
		r.OwnerID = &s
	}
	return r
}

// ItemAttachmentsResponse lists the files linked to an item's records.
type ItemAttachmentsResponse struct {
	Data  []AttachmentResponse `json:"data"`
	Total int                  `json:"total" example:"3"`
} // @name ItemAttachmentList

type handlers struct{ s *Service }

// Mount registers the attachment routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.POST("/attachments", h.upload)
	r.GET("/attachments/policy", h.policy)
	r.GET("/attachments/:id", h.get)
	r.GET("/attachments/:id/content", h.content)
	r.GET("/items/:id/attachments", h.listItem)
}

// UploadPolicyResponse says what POST /attachments accepts.
type UploadPolicyResponse struct {
	// MaxBytes is the largest file accepted (DUBAN_UPLOAD_LIMIT); a larger one is 413.
	MaxBytes int64 `json:"max_bytes" example:"20971520"`
	// Types are the accepted content types, detected from the bytes, with their
	// display kind; anything else is 415.
	Types []UploadTypeResponse `json:"types"`
} // @name UploadPolicy

// UploadTypeResponse is one accepted content type.
type UploadTypeResponse struct {
	ContentType string `json:"content_type" example:"application/pdf"`
	Kind        string `json:"kind" enums:"pdf,image,document,spreadsheet,presentation,text" example:"pdf"`
} // @name UploadType

// policy answers GET /attachments/policy.
//
//	@Summary		What uploads are accepted
//	@Description	The size limit and the accepted content types of POST /attachments, so that a client can refuse a file before sending it. The server decides by the file's bytes, not its name or the client's Content-Type.
//	@ID				getUploadPolicy
//	@Tags			attachments
//	@Produce		json
//	@Success		200	{object}	UploadPolicyResponse
//	@Failure		401	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/attachments/policy [get]
func (h handlers) policy(c echo.Context) error {
	types := AcceptedTypes()
	out := UploadPolicyResponse{MaxBytes: h.s.MaxSize, Types: make([]UploadTypeResponse, len(types))}
	for i, t := range types {
		out.Types[i] = UploadTypeResponse{ContentType: t.ContentType, Kind: t.Kind}
	}
	return c.JSON(http.StatusOK, out)
}

// UploadPath is the route that carries file bodies; it is exempt from the JSON body
// limit and applies the upload limit instead.
const UploadPath = httpserver.APIPrefix + "/attachments"

// upload stores a file for an item.
//
//	@Summary		Upload an attachment
//	@Description	multipart/form-data with `file` and `item_id` (form field or query). The type is detected from the content: PDF, Office/WPS documents, images and plain text are accepted; anything else is 415. The file name must end in an extension of that type (one is added when it has none; another is 422), and loses control and invisible formatting characters (bidirectional overrides). Per-user (24 hours) and per-item quotas apply (429 upload_quota_exceeded, 413 item_quota_exceeded). Link the returned id through `attachment_ids` on feedback, completion requests, comments or the item itself (PATCH /items/{id}); only its uploader, or the head or liaison of the uploader's unit, may link it. A file no record links to is deleted after DUBAN_UPLOAD_UNLINKED_TTL.
//	@ID			uploadAttachment
//	@Tags			attachments
//	@Accept			multipart/form-data
//	@Produce		json
//	@Param			item_id	formData	string	true	"item the file belongs to"	format(uuid)
//	@Param			file	formData	file	true	"the file"
//	@Success		201		{object}	AttachmentResponse
//	@Failure		400		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		413		{object}	problem.Problem
//	@Failure		415		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem	"validation_failed: item_id, or file (its name's extension does not match its content)"
//	@Failure		429		{object}	problem.Problem	"upload_quota_exceeded: the user's uploads of the last 24 hours reach DUBAN_UPLOAD_USER_QUOTA; see Retry-After"
//	@Failure		507		{object}	problem.Problem	"insufficient_storage: the server has no room to receive the file"
//	@Failure		401	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/attachments [post]
func (h handlers) upload(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, h.s.MaxSize+1<<20)
	if ct := req.Header.Get(echo.HeaderContentType); !strings.HasPrefix(ct, "multipart/form-data") {
		return problem.UnsupportedMedia("send the file as multipart/form-data")
	}
	if err := req.ParseMultipartForm(8 << 20); err != nil {
		return h.s.multipartError(err)
	}
	defer req.MultipartForm.RemoveAll()
	raw := c.QueryParam("item_id")
	if v := req.FormValue("item_id"); v != "" {
		raw = v
	}
	if raw == "" {
		return problem.Field("item_id", "required", "is required")
	}
	itemID, err := uuid.Parse(raw)
	if err != nil {
		return problem.Field("item_id", "uuid", "must be a UUID")
	}
	files := req.MultipartForm.File["file"]
	if len(files) != 1 {
		return problem.Field("file", "required", "send exactly one file in the field \"file\"")
	}
	f, err := files[0].Open()
	if err != nil {
		return fmt.Errorf("open uploaded part: %w", err)
	}
	defer f.Close()
	a, err := h.s.Upload(req.Context(), p, itemID, files[0].Filename, f)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, UploadPath+"/"+a.ID.String())
	return c.JSON(http.StatusCreated, ToResponse(a))
}

// get describes an attachment.
//
//	@Summary		Describe an attachment
//	@Description	404 unless the caller may see the file: it follows the item and the record citing it (a draft feedback's files only for the people of its unit); a file not yet linked is seen by its uploader only.
//	@ID			getAttachment
//	@Tags			attachments
//	@Produce		json
//	@Param			id	path		string	true	"attachment id"	format(uuid)
//	@Success		200	{object}	AttachmentResponse
//	@Failure		404	{object}	problem.Problem
//	@Failure		401	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/attachments/{id} [get]
func (h handlers) get(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "attachment")
	if err != nil {
		return err
	}
	a, err := h.s.Get(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ToResponse(a))
}

// listItem lists the files of an item.
//
//	@Summary		The item's attachments
//	@Description	Every file linked to a record of the item (feedback, completion requests, verifications, comments), oldest first: owner_type and owner_id say which record, uploaded_by and created_at who and when. Only what the caller may see: the item's visibility (404 otherwise), and a draft feedback's files only for the people of its unit. Files uploaded but not yet linked are not listed.
//	@ID				listItemAttachments
//	@Tags			attachments
//	@Produce		json
//	@Param			id	path		string	true	"item id"	format(uuid)
//	@Success		200	{object}	ItemAttachmentsResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/attachments [get]
func (h handlers) listItem(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	rows, err := h.s.ListItem(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	out := ItemAttachmentsResponse{Data: make([]AttachmentResponse, len(rows)), Total: len(rows)}
	for i := range rows {
		out.Data[i] = ToResponse(&rows[i])
	}
	return c.JSON(http.StatusOK, out)
}

// content downloads an attachment.
//
//	@Summary	Download an attachment
//	@Description	The file, with its type, an attachment disposition (the name in UTF-8), nosniff and a sandbox CSP. When the server keeps files in object storage with DUBAN_S3_DOWNLOAD=redirect, the answer is 302 to a presigned URL of the store, valid for minutes, whose response carries the same type, disposition and caching.
//	@ID			downloadAttachment
//	@Tags		attachments
//	@Produce	octet-stream
//	@Param		id	path		string	true	"attachment id"	format(uuid)
//	@Success	200	{file}		binary
//	@Success	302	"redirect to a presigned URL of the object store"
//	@Failure	404	{object}	problem.Problem
//	@Failure		401	{object}	problem.Problem
//	@Security	BearerAuth
//	@Router		/attachments/{id}/content [get]
func (h handlers) content(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "attachment")
	if err != nil {
		return err
	}
	// Object storage set to redirect: the client fetches a short-lived presigned URL
	// whose response carries the same type, disposition and caching (download.go).
	if u, err := h.s.DownloadURL(c.Request().Context(), p, id); err != nil || u != "" {
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderCacheControl, "private, no-store")
		return c.Redirect(http.StatusFound, u)
	}
	a, rc, err := h.s.Open(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	defer rc.Close()
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentDisposition, ContentDisposition(a.Filename))
	hd.Set(echo.HeaderContentLength, fmt.Sprint(a.Size))
	hd.Set("ETag", `"`+a.SHA256+`"`)
	hd.Set(echo.HeaderCacheControl, "private, no-store")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	return c.Stream(http.StatusOK, a.ContentType, rc)
}

// ContentDisposition makes an attachment header that keeps Chinese filenames
// (RFC 6266 filename* in UTF-8) with an ASCII fallback for old clients.
func ContentDisposition(name string) string {
	fallback := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == ';' || r == '%' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, fallback, rfc5987(name))
}

// rfc5987 percent-encodes every byte outside RFC 5987's attr-char set.
func rfc5987(s string) string {
	const attr = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(attr, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
