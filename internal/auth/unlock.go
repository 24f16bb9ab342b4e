package auth

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/users"
)

// AuditUnlocked is the audit action of an admin lifting a user's login locks.
const AuditUnlocked = "auth.unlocked"

// Unlock lifts every login lock and forgets every counted failure of the user's
// username, at every address. Only an admin may (403 for others who see the user,
// 404 for a user they do not see); it is audited with the number of keys cleared.
func (s *Service) Unlock(ctx context.Context, p *access.Principal, userID uuid.UUID) (int64, error) {
	var cleared int64
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		a, v, err := users.NewService(s.db, s.audit).Get(ctx, p, userID)
		if err != nil {
			return err
		}
		if err := users.CanUpdate(p, a, v).Err("user", "unlock"); err != nil {
			return err
		}
		res := s.db.Conn(ctx).Where(`"key" LIKE ? ESCAPE '\'`, likePrefix(pairPrefix(a.Username))).Delete(&loginThrottle{})
		if res.Error != nil {
			return fmt.Errorf("unlock: %w", res.Error)
		}
		cleared = res.RowsAffected
		return s.audit.Record(ctx, &p.UserID, AuditUnlocked, "user", a.ID.String(),
			map[string]any{"username": a.Username, "keys_cleared": cleared})
	})
	return cleared, err
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func likePrefix(s string) string { return likeEscaper.Replace(s) + "%" }

// UnlockResult is the answer of POST /users/{id}/unlock.
type UnlockResult struct {
	// KeysCleared is how many (address) locks and failure counters were removed.
	KeysCleared int64 `json:"keys_cleared" example:"2"`
} // @name UnlockResult

// unlock lifts a user's login locks.
//
//	@Summary		Unlock a user's logins
//	@Description	Admin only. Lifts every brute-force lock of the user's username, at every client address, and forgets its counted failures; audited as `auth.unlocked`. Logins are locked per username and client address (five failures lock that pair, each further lock in a row twice as long), so a user is only ever locked out where the failures came from.
//	@ID				unlockUser
//	@Tags			users
//	@Produce		json
//	@Param			id	path		string	true	"user id"	format(uuid)
//	@Success		200	{object}	UnlockResult
//	@Failure		401	{object}	problem.Problem	"unauthorized"
//	@Failure		403	{object}	problem.Problem	"forbidden: not an admin"
//	@Failure		404	{object}	problem.Problem	"not_found"
//	@Security		BearerAuth
//	@Router			/users/{id}/unlock [post]
func (h handlers) unlock(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "user")
	if err != nil {
		return err
	}
	n, err := h.s.Unlock(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, UnlockResult{KeysCleared: n})
}
