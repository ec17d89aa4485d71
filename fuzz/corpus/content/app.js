var cfg = {
  apiUrl: "http://cloud.vendor.example/api",
  apiKey: "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
  token: "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
  rejectUnauthorized: false
};
fetch(cfg.apiUrl + "/login", {method: "POST", body: "user=admin&pass=admin"});
