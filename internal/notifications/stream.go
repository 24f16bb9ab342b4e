package notifications

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// StreamOptions shape one live stream.
type StreamOptions struct {
	// LastEventID resumes after that notification (the Last-Event-ID header);
	// nil starts at the present.
	LastEventID *int64
	// Lifetime ends the stream after that long (the client reconnects with
	// Last-Event-ID); 0 sends what is waiting and ends at once.
	Lifetime time.Duration
	// Heartbeat is the interval of the comment lines that keep proxies and the
	// client's liveness check content.
	Heartbeat time.Duration
}

// Stream limits.
const (
	// maxBacklog is how many missed notifications a resuming stream replays.
	maxBacklog = 200
	// RetryMillis is the reconnection delay the stream asks clients for.
	RetryMillis = 3000
)

// Stream writes the user's notifications as server-sent events to w until ctx
// ends, the lifetime is over or the server shuts down: first those after
// LastEventID, then each one as it commits, in this process or another
// (event "notification", id = its seq), and the unread count whenever it
// changes (event "unread"), with a heartbeat comment in between. flush pushes
// what was written to the client.
func (s *Service) Stream(ctx context.Context, user uuid.UUID, o StreamOptions, w io.Writer, flush func() error) error {
	// Registered before the cursor is read: a notification committed in between
	// wakes the stream instead of being missed.
	wake, cancel := s.Streams.subscribe(user)
	defer cancel()
	last, err := s.lastSeq(ctx, user)
	if err != nil {
		return err
	}
	cursor := last
	if o.LastEventID != nil {
		cursor = min(max(*o.LastEventID, last-maxBacklog), last)
	}
	if _, err := fmt.Fprintf(w, "retry: %d\n\n", RetryMillis); err != nil {
		return nil
	}
	unread := int64(-1)
	send := func() error {
		for {
			ns, err := s.since(ctx, user, cursor, 100)
			if err != nil {
				return err
			}
			for i := range ns {
				b, err := json.Marshal(ToResponse(&ns[i]))
				if err != nil {
					return err
				}
				if _, err := fmt.Fprintf(w, "id: %d\nevent: notification\ndata: %s\n\n", ns[i].Seq, b); err != nil {
					return err
				}
				cursor = ns[i].Seq
			}
			if len(ns) < 100 {
				break
			}
		}
		n, err := s.unread(ctx, user)
		if err != nil {
			return err
		}
		if n != unread {
			unread = n
			if _, err := fmt.Fprintf(w, "event: unread\ndata: {\"count\":%s}\n\n", strconv.FormatInt(n, 10)); err != nil {
				return err
			}
		}
		return flush()
	}
	if err := send(); err != nil {
		return s.streamEnd(ctx, err)
	}
	if o.Lifetime <= 0 {
		return nil
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 15 * time.Second
	}
	hb := time.NewTicker(o.Heartbeat)
	defer hb.Stop()
	end := time.NewTimer(o.Lifetime)
	defer end.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.Streams.closed:
			return nil
		case <-end.C:
			return nil
		case <-hb.C:
			if _, err := io.WriteString(w, ": heartbeat\n\n"); err != nil {
				return nil
			}
			if err := flush(); err != nil {
				return nil
			}
		case <-wake:
			if err := send(); err != nil {
				return s.streamEnd(ctx, err)
			}
		}
	}
}

// streamEnd: a client gone away is the normal end of a stream; anything else is
// logged (the response has started, so it cannot become a problem+json).
func (s *Service) streamEnd(ctx context.Context, err error) error {
	if ctx.Err() == nil {
		s.log.WarnContext(ctx, "notification stream ended", "err", err)
	}
	return nil
}

func (s *Service) unread(ctx context.Context, user uuid.UUID) (int64, error) {
	var n int64
	err := s.db.Conn(ctx).Model(&Notification{}).Where("user_id = ? AND in_app = ? AND read_at IS NULL", user, true).Count(&n).Error
	return n, err
}
