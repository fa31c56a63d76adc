module example.com/rate-limited-items

go 1.22
