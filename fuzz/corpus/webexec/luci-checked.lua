module("luci.controller.diag", package.seeall)
function ping()
	local host = luci.http.formvalue("host")
	if host and host:match("^[a-zA-Z0-9%-%.:_]+$") then
		luci.sys.call("ping -c 3 " .. luci.util.shellquote(host))
	end
end
