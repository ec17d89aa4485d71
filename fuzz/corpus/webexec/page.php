<?php
$target = $_POST['target'];
$n = intval($_GET['n']);
echo shell_exec("traceroute -m " . $n . " " . $target);
passthru("nslookup " . escapeshellarg($_GET['name']));
?>
