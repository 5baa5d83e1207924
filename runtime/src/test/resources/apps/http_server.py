# HTTP/1.1 server for the end-to-end tests on 127.0.0.1: keep-alive, a chunked response,
# a redirect, a 404, POST echo. Prints "ready"; stops after 60 s.
import http.server, sys, threading

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def send_text(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(data)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        if self.path == '/ok':
            self.send_text(200, 'hello from kflowd test')
        elif self.path == '/redirect':
            self.send_response(302)
            self.send_header('Location', '/ok')
            self.send_header('Content-Length', '0')
            self.end_headers()
        elif self.path == '/chunked':
            self.send_response(200)
            self.send_header('Content-Type', 'text/plain')
            self.send_header('Transfer-Encoding', 'chunked')
            self.end_headers()
            for part in (b'first part, ', b'second part'):
                self.wfile.write(b'%x\r\n%s\r\n' % (len(part), part))
            self.wfile.write(b'0\r\n\r\n')
        else:
            self.send_text(404, 'no such thing')

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.send_text(200, 'got %d bytes' % len(body))

server = http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Handler)
threading.Timer(60, server.shutdown).start()
print('ready', flush=True)
server.serve_forever()
