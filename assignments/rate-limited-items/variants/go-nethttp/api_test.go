package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func send(t *testing.T, server *httptest.Server, method, path, body string, headers map[string]string) (*http.Response, map[string]any) {
	t.Helper()
	request, err := http.NewRequest(method, server.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	request.Header.Set("Content-Type", "application/json")
	for name, value := range headers {
		request.Header.Set(name, value)
	}
	response, err := server.Client().Do(request)
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	raw, _ := io.ReadAll(response.Body)
	var decoded map[string]any
	_ = json.Unmarshal(raw, &decoded)
	return response, decoded
}

func start(t *testing.T) *httptest.Server {
	server := httptest.NewServer(newAPI(5, time.Minute))
	t.Cleanup(server.Close)
	return server
}

func TestCreateAndGet(t *testing.T) {
	server := start(t)
	response, created := send(t, server, "POST", "/items", `{"name":"pen","price_cents":150}`, nil)
	if response.StatusCode != 201 || response.Header.Get("Location") != "/items/"+created["id"].(string) {
		t.Fatalf("create answered %d %v", response.StatusCode, created)
	}
	response, got := send(t, server, "GET", "/items/"+created["id"].(string), "", nil)
	if response.StatusCode != 200 || got["name"] != "pen" {
		t.Fatalf("get answered %d %v", response.StatusCode, got)
	}
}

func TestWalkSurvivesDeletes(t *testing.T) {
	server := start(t)
	ids := map[string]bool{}
	for i := 0; i < 5; i++ {
		_, created := send(t, server, "POST", "/items", fmt.Sprintf(`{"name":"n%d","price_cents":%d}`, i, i), map[string]string{"X-API-Key": fmt.Sprint("create", i)})
		ids[created["id"].(string)] = true
	}
	seen := map[string]int{}
	cursor, deleted := "", false
	for page := 0; ; page++ {
		_, body := send(t, server, "GET", "/items?limit=2&cursor="+cursor, "", map[string]string{"X-API-Key": fmt.Sprint("walk", page)})
		data := body["data"].([]any)
		for _, entry := range data {
			seen[entry.(map[string]any)["id"].(string)]++
		}
		if !deleted {
			send(t, server, "DELETE", "/items/"+data[0].(map[string]any)["id"].(string), "", map[string]string{"X-API-Key": "deleter"})
			deleted = true
		}
		next, ok := body["next_cursor"].(string)
		if !ok {
			break
		}
		cursor = next
	}
	for id := range ids {
		if seen[id] != 1 {
			t.Fatalf("item %s seen %d times", id, seen[id])
		}
	}
}

func TestValidation(t *testing.T) {
	server := start(t)
	for i, body := range []string{`{}`, `{"name":"","price_cents":1}`, `{"name":"x","price_cents":-1}`, `{"name":"x","price_cents":1.5}`, `{"name":"x","price_cents":1e400}`, `[1]`} {
		response, problem := send(t, server, "POST", "/items", body, map[string]string{"X-API-Key": fmt.Sprint("v", i)})
		if response.StatusCode != 400 || problem["title"] != "Invalid item" {
			t.Errorf("%s answered %d %v", body, response.StatusCode, problem)
		}
	}
}

func TestBadListParameters(t *testing.T) {
	server := start(t)
	for i, query := range []string{"limit=0", "limit=101", "limit=abc", "limit=%ZZ", "cursor=!!", "cursor=e30"} {
		if response, _ := send(t, server, "GET", "/items?"+query, "", map[string]string{"X-API-Key": fmt.Sprint("q", i)}); response.StatusCode != 400 {
			t.Errorf("%s answered %d", query, response.StatusCode)
		}
	}
}

func TestRateLimitPerKey(t *testing.T) {
	server := start(t)
	for i := 1; i <= 6; i++ {
		response, _ := send(t, server, "GET", "/items", "", map[string]string{"X-API-Key": "a"})
		want := 200
		if i == 6 {
			want = 429
		}
		if response.StatusCode != want {
			t.Fatalf("request %d answered %d", i, response.StatusCode)
		}
		if i == 6 && response.Header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
	}
	if response, _ := send(t, server, "GET", "/items", "", map[string]string{"X-API-Key": "b"}); response.StatusCode != 200 {
		t.Fatalf("another key answered %d", response.StatusCode)
	}
	if response, _ := send(t, server, "GET", "/health", "", map[string]string{"X-API-Key": "a"}); response.StatusCode != 200 {
		t.Fatalf("health answered %d", response.StatusCode)
	}
}

func TestErrorsAreProblems(t *testing.T) {
	server := start(t)
	cases := []struct {
		method, path, body, contentType string
		status                          int
	}{
		{"GET", "/nowhere", "", "application/json", 404},
		{"POST", "/items", `{"name": `, "application/json", 400},
		{"POST", "/items", `{}`, "text/plain", 415},
		{"PUT", "/items", `{}`, "application/json", 405},
	}
	for i, c := range cases {
		response, problem := send(t, server, c.method, c.path, c.body, map[string]string{"Content-Type": c.contentType, "X-API-Key": fmt.Sprint("e", i)})
		if response.StatusCode != c.status || response.Header.Get("Content-Type") != "application/problem+json" || problem["status"] != float64(c.status) {
			t.Errorf("%s %s answered %d %v", c.method, c.path, response.StatusCode, problem)
		}
	}
}
