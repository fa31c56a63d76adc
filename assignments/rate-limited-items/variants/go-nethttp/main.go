// Rate-limited items API on Go's net/http, standard library only.
package main

import (
	"context"
	"errors"
	"log"
	"math"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// positiveInt reads a budget setting the way the Node reference does: a positive safe
// integer, or the default.
func positiveInt(value string, fallback int64) int64 {
	n, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
	if err != nil || n <= 0 || n != math.Trunc(n) || n > maxSafeInteger {
		return fallback
	}
	return int64(n)
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "3000"
	}
	budget := positiveInt(os.Getenv("RATE_LIMIT_MAX"), 100)
	windowMs := positiveInt(os.Getenv("RATE_LIMIT_WINDOW_MS"), 60_000)
	api := newAPI(budget, time.Duration(windowMs)*time.Millisecond)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go api.limiter.sweepEvery(ctx, 10*time.Second)

	server := &http.Server{
		Addr:    "0.0.0.0:" + port,
		Handler: api,
		// Slow or idle clients give their goroutine back; bodies get no read deadline here
		// because the size limit bounds them.
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()
	log.Printf("listening on 0.0.0.0:%s (limit %d per %d ms)", port, budget, windowMs)
	if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
