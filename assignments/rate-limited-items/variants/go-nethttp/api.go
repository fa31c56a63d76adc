package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log"
	"math"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	maxBodyBytes   = 1024 * 1024
	drainBytes     = 8 * maxBodyBytes
	defaultLimit   = 20
	maxLimit       = 100
	maxSafeInteger = 1<<53 - 1
)

// httpError is an RFC 9457 problem; every error the API answers is one.
type httpError struct {
	status  int
	title   string
	detail  string
	errors  []fieldError
	headers map[string]string
}

func (e *httpError) Error() string { return e.detail }

type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

type problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail"`
	Errors []fieldError `json:"errors,omitempty"`
}

type api struct {
	limiter *limiter
	store   *store
}

func newAPI(budget int64, window time.Duration) *api {
	return &api{limiter: newLimiter(budget, window), store: newStore()}
}

func writeJSON(w http.ResponseWriter, status int, contentType string, body any, headers map[string]string) {
	for name, value := range headers {
		w.Header().Set(name, value)
	}
	if body == nil {
		w.WriteHeader(status)
		return
	}
	var buf bytes.Buffer
	encoder := json.NewEncoder(&buf)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(body); err != nil {
		log.Printf("encoding a response: %v", err)
	}
	payload := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
	w.WriteHeader(status)
	_, _ = w.Write(payload)
}

func writeProblem(w http.ResponseWriter, e *httpError, headers map[string]string) {
	merged := map[string]string{}
	for name, value := range headers {
		merged[name] = value
	}
	for name, value := range e.headers {
		merged[name] = value
	}
	body := problem{Type: "about:blank", Title: e.title, Status: e.status, Detail: e.detail, Errors: e.errors}
	writeJSON(w, e.status, "application/problem+json", body, merged)
}

func (a *api) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.RequestURI == "/health" || strings.HasPrefix(r.RequestURI, "/health?") {
		writeJSON(w, 200, "application/json; charset=utf-8", map[string]string{"status": "ok"}, nil)
		return
	}
	// X-Forwarded-For is ignored on purpose: nothing in front of this server sets it.
	identity := "key:" + r.Header.Get("X-API-Key")
	if identity == "key:" {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		identity = "ip:" + host
	}
	limited, limitHeaders := a.limiter.hit(identity)
	defer func() {
		// A panic is a 500 without internals, not a dropped connection.
		if recovered := recover(); recovered != nil {
			log.Printf("unexpected error: %v", recovered)
			w.Header().Set("Connection", "close")
			writeProblem(w, &httpError{status: 500, title: "Internal error", detail: "something went wrong"}, nil)
		}
	}()
	if limited {
		writeProblem(w, &httpError{status: 429, title: "Too many requests", detail: "rate limit exceeded; retry later"}, limitHeaders)
		return
	}
	if err := a.route(w, r, limitHeaders); err != nil {
		var known *httpError
		if !errors.As(err, &known) {
			log.Printf("unexpected error: %v", err)
			known = &httpError{status: 500, title: "Internal error", detail: "something went wrong"}
		}
		if known.status == 413 {
			// An unread oversized body would otherwise keep the connection busy.
			w.Header().Set("Connection", "close")
		}
		writeProblem(w, known, limitHeaders)
	}
}

var itemPath = regexp.MustCompile(`^/items/([^/]+)$`)

func notFound(detail string) *httpError {
	return &httpError{status: 404, title: "Not found", detail: detail}
}

func methodNotAllowed(allow string) *httpError {
	return &httpError{status: 405, title: "Method not allowed", detail: "allowed: " + allow, headers: map[string]string{"Allow": allow}}
}

func (a *api) route(w http.ResponseWriter, r *http.Request, limitHeaders map[string]string) error {
	rawPath, rawQuery, _ := strings.Cut(r.RequestURI, "?")
	path, ok := decodeComponent(rawPath)
	if !ok {
		return &httpError{status: 400, title: "Bad request", detail: "the request target is not a valid URL"}
	}

	if path == "/items" {
		switch r.Method {
		case http.MethodGet:
			page, err := a.list(rawQuery)
			if err != nil {
				return err
			}
			writeJSON(w, 200, "application/json; charset=utf-8", page, limitHeaders)
			return nil
		case http.MethodPost:
			body, err := readJSON(r)
			if err != nil {
				return err
			}
			name, price, err := validateItem(body)
			if err != nil {
				return err
			}
			it := a.store.create(name, price)
			headers := map[string]string{"Location": "/items/" + it.ID}
			for k, v := range limitHeaders {
				headers[k] = v
			}
			writeJSON(w, 201, "application/json; charset=utf-8", it, headers)
			return nil
		}
		return methodNotAllowed("GET, POST")
	}

	if match := itemPath.FindStringSubmatch(path); match != nil {
		id := match[1]
		switch r.Method {
		case http.MethodGet:
			it, ok := a.store.get(id)
			if !ok {
				return notFound("no item with id " + id)
			}
			writeJSON(w, 200, "application/json; charset=utf-8", it, limitHeaders)
			return nil
		case http.MethodDelete:
			if !a.store.delete(id) {
				return notFound("no item with id " + id)
			}
			writeJSON(w, 204, "", nil, limitHeaders)
			return nil
		}
		return methodNotAllowed("GET, DELETE")
	}
	return notFound("no such route")
}

type listPage struct {
	Data       []item  `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

func (a *api) list(rawQuery string) (*listPage, error) {
	query := parseQuery(rawQuery)
	limit := defaultLimit
	if raw, ok := query["limit"]; ok {
		n, err := strconv.Atoi(raw)
		if !limitShape.MatchString(raw) || err != nil || n < 1 || n > maxLimit {
			return nil, &httpError{status: 400, title: "Invalid limit", detail: "limit must be an integer from 1 to " + strconv.Itoa(maxLimit)}
		}
		limit = n
	}
	var after *key
	if cursor := query["cursor"]; cursor != "" {
		decoded, err := decodeCursor(cursor)
		if err != nil {
			return nil, err
		}
		after = decoded
	}
	page, more := a.store.page(after, limit)
	result := &listPage{Data: page}
	if more && len(page) > 0 {
		next := encodeCursor(page[len(page)-1])
		result.NextCursor = &next
	}
	return result, nil
}

var limitShape = regexp.MustCompile(`^[0-9]{1,3}$`)

// parseQuery keeps the first value of each parameter, as URLSearchParams.get does, and
// decodes leniently like a browser: a bad escape stays as it is instead of dropping the
// parameter (which url.ParseQuery would do, turning limit=%ZZ into the default).
func parseQuery(raw string) map[string]string {
	values := map[string]string{}
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		name, value = lenientDecode(name), lenientDecode(value)
		if _, seen := values[name]; !seen {
			values[name] = value
		}
	}
	return values
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// percentDecode decodes %XX escapes; strict reports whether every % began one.
func percentDecode(s string, plusIsSpace bool) ([]byte, bool) {
	out := make([]byte, 0, len(s))
	strict := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '+' && plusIsSpace {
			out = append(out, ' ')
			continue
		}
		if c == '%' && i+2 < len(s) {
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				out = append(out, hi<<4|lo)
				i += 2
				continue
			}
		}
		if c == '%' {
			strict = false
		}
		out = append(out, c)
	}
	return out, strict
}

func lenientDecode(s string) string {
	decoded, _ := percentDecode(s, true)
	return strings.ToValidUTF8(string(decoded), "\uFFFD")
}

// decodeComponent decodes a path as JavaScript's decodeURIComponent does: a bad escape or
// bytes that are not UTF-8 make it fail.
func decodeComponent(s string) (string, bool) {
	decoded, strict := percentDecode(s, false)
	if !strict || !utf8.Valid(decoded) {
		return "", false
	}
	return string(decoded), true
}

// drain reads (a bounded part of) a body the server answers early. net/http closes a
// connection whose unread body exceeds 256 KB right after the response, and a client still
// writing that body then sees a reset instead of the 413.
func drain(body io.Reader) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, drainBytes))
}

var jsonType = regexp.MustCompile(`(?i)^application/(?:[\w.+-]+\+)?json\s*(?:;|$)`)

func readJSON(r *http.Request) (any, error) {
	if !jsonType.MatchString(r.Header.Get("Content-Type")) {
		return nil, &httpError{status: 415, title: "Unsupported media type", detail: "send the body as application/json"}
	}
	tooLarge := &httpError{status: 413, title: "Payload too large", detail: "bodies are limited to " + strconv.Itoa(maxBodyBytes) + " bytes"}
	if r.ContentLength > maxBodyBytes {
		drain(r.Body)
		return nil, tooLarge
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return nil, &httpError{status: 400, title: "Bad request", detail: "the request body could not be read"}
	}
	if len(raw) > maxBodyBytes {
		drain(r.Body)
		return nil, tooLarge
	}
	malformed := &httpError{status: 400, title: "Malformed JSON", detail: "the body is not valid JSON"}
	if !json.Valid(raw) {
		return nil, malformed
	}
	decoder := json.NewDecoder(bytes.NewReader(raw))
	// Numbers stay text until validation, so 1e400 is a validation error rather than a decode one.
	decoder.UseNumber()
	var body any
	if err := decoder.Decode(&body); err != nil {
		return nil, malformed
	}
	return body, nil
}

// safeInteger is the number as JavaScript's Number.isSafeInteger would judge it: any JSON
// number whose double value is a whole number within ±(2^53 - 1).
func safeInteger(value any) (int64, bool) {
	number, ok := value.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(number), 64)
	if err != nil || math.IsInf(f, 0) || f != math.Trunc(f) || math.Abs(f) > maxSafeInteger {
		return 0, false
	}
	return int64(f), true
}

// utf16Length counts characters as JavaScript does, so the 200 limit matches the reference.
func utf16Length(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func validateItem(body any) (string, int64, error) {
	fields, ok := body.(map[string]any)
	if !ok {
		return "", 0, &httpError{status: 400, title: "Invalid item", detail: "the body must be a JSON object", errors: []fieldError{{Field: "", Message: "expected an object"}}}
	}
	var problems []fieldError
	name, ok := fields["name"].(string)
	if !ok || utf16Length(name) < 1 || utf16Length(name) > 200 {
		problems = append(problems, fieldError{Field: "name", Message: "must be a string of 1 to 200 characters"})
	}
	price, ok := safeInteger(fields["price_cents"])
	if !ok || price < 0 {
		problems = append(problems, fieldError{Field: "price_cents", Message: "must be an integer >= 0"})
	}
	if len(problems) > 0 {
		details := make([]string, len(problems))
		for i, p := range problems {
			details[i] = p.Field + " " + p.Message
		}
		return "", 0, &httpError{status: 400, title: "Invalid item", detail: strings.Join(details, "; "), errors: problems}
	}
	return name, price, nil
}
