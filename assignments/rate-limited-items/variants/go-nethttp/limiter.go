package main

import (
	"context"
	"strconv"
	"sync"
	"time"
)

// limiter is a fixed window per identity. Check and increment happen under one lock, so
// concurrent requests cannot race past the budget.
type limiter struct {
	max     int64
	window  time.Duration
	mu      sync.Mutex
	windows map[string]*window
}

type window struct {
	count   int64
	resetAt time.Time
}

func newLimiter(budget int64, length time.Duration) *limiter {
	return &limiter{max: budget, window: length, windows: map[string]*window{}}
}

// hit counts one request and returns whether it is over budget, with the headers to send.
func (l *limiter) hit(identity string) (bool, map[string]string) {
	now := time.Now()
	l.mu.Lock()
	entry, ok := l.windows[identity]
	if !ok || !entry.resetAt.After(now) {
		entry = &window{resetAt: now.Add(l.window)}
		l.windows[identity] = entry
	}
	entry.count++
	count, resetAt := entry.count, entry.resetAt
	l.mu.Unlock()

	resetSeconds := int64((resetAt.Sub(now) + time.Second - 1) / time.Second)
	if resetSeconds < 1 {
		resetSeconds = 1
	}
	remaining := l.max - count
	if remaining < 0 {
		remaining = 0
	}
	headers := map[string]string{
		"RateLimit-Limit":     strconv.FormatInt(l.max, 10),
		"RateLimit-Remaining": strconv.FormatInt(remaining, 10),
		"RateLimit-Reset":     strconv.FormatInt(resetSeconds, 10),
	}
	if count > l.max {
		headers["Retry-After"] = strconv.FormatInt(resetSeconds, 10)
		return true, headers
	}
	return false, headers
}

// sweepEvery drops expired windows so idle identities do not accumulate.
func (l *limiter) sweepEvery(ctx context.Context, every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-ticker.C:
			l.mu.Lock()
			for identity, entry := range l.windows {
				if !entry.resetAt.After(now) {
					delete(l.windows, identity)
				}
			}
			l.mu.Unlock()
		}
	}
}
