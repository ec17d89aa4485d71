module("luci.controller.diag", package.seeall)
function index()
	entry({"admin", "diag", "ping"}, call("ping")).leaf = true
end
function ping()
	local host = luci.http.formvalue("host")
	local count = luci.http.formvalue("count") or "3"
	local f = io.popen("ping -c " .. count .. " " .. host .. " 2>&1")
	luci.http.write(f:read("*a"))
	f:close()
end
